//! The first 151 pokemon, embedded from `assets/pokemon.csv`, and their
//! pokeapi-shaped JSON.

use std::sync::OnceLock;

use bytes::Bytes;
use serde_json::json;

static CSV: &str = include_str!("../../assets/pokemon.csv");

/// How many pokemon the demo server knows (ids `1..=COUNT`).
pub const COUNT: u32 = 151;

/// One pokemon as pokeapi describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pokemon {
    pub id: u32,
    /// The pokeapi spelling: lower case, `nidoran-f`, `mr-mime`.
    pub name: String,
    /// Height in decimetres.
    pub height: u32,
    /// Weight in hectograms.
    pub weight: u32,
    /// Type names in slot order.
    pub types: Vec<String>,
}

/// A line of the embedded table that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("assets/pokemon.csv:{line}: {problem}")]
pub struct PokedexError {
    pub line: usize,
    pub problem: String,
}

/// The embedded pokemon, indexed by id, with each one's JSON body ready.
#[derive(Debug)]
pub struct Pokedex {
    entries: Vec<Pokemon>,
    bodies: Vec<Bytes>,
}

impl Pokedex {
    /// The embedded table, parsed once.
    pub fn get() -> Result<&'static Pokedex, PokedexError> {
        static DEX: OnceLock<Result<Pokedex, PokedexError>> = OnceLock::new();
        DEX.get_or_init(|| Pokedex::parse(CSV))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses `id,name,height,weight,type/type` lines; `#` starts a comment.
    pub fn parse(text: &str) -> Result<Pokedex, PokedexError> {
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |problem: String| PokedexError {
                line: i + 1,
                problem,
            };
            let fields: Vec<&str> = line.split(',').collect();
            let [id, name, height, weight, types] = fields[..] else {
                return Err(err(format!("expected 5 fields, found {}", fields.len())));
            };
            let num = |what: &str, v: &str| {
                v.parse::<u32>()
                    .map_err(|_| err(format!("{what} `{v}` is not a number")))
            };
            let p = Pokemon {
                id: num("id", id)?,
                name: name.to_string(),
                height: num("height", height)?,
                weight: num("weight", weight)?,
                types: types.split('/').map(str::to_string).collect(),
            };
            if p.id as usize != entries.len() + 1 {
                return Err(err(format!("id {} out of order", p.id)));
            }
            entries.push(p);
        }
        let bodies = entries.iter().map(|p| Bytes::from(p.to_json())).collect();
        Ok(Pokedex { entries, bodies })
    }

    /// The pokemon with this id.
    pub fn by_id(&self, id: u32) -> Option<&Pokemon> {
        self.entries.get((id as usize).checked_sub(1)?)
    }

    /// The pokemon with this name (pokeapi spelling, any case).
    pub fn by_name(&self, name: &str) -> Option<&Pokemon> {
        self.entries
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// The JSON body served for this id.
    pub fn body(&self, id: u32) -> Option<Bytes> {
        self.bodies.get((id as usize).checked_sub(1)?).cloned()
    }

    /// Every pokemon in id order.
    pub fn all(&self) -> &[Pokemon] {
        &self.entries
    }
}

impl Pokemon {
    /// The pokeapi shape: `{"id", "name", "height", "weight", "types":
    /// [{"slot": 1, "type": {"name": "grass", "url": ...}}]}`.
    pub fn to_json(&self) -> String {
        let types: Vec<_> = self
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| {
                json!({
                    "slot": i + 1,
                    "type": { "name": t, "url": format!("/api/v2/type/{t}/") },
                })
            })
            .collect();
        json!({
            "id": self.id,
            "name": self.name,
            "height": self.height,
            "weight": self.weight,
            "types": types,
            "species": { "name": self.name, "url": format!("/api/v2/pokemon-species/{}/", self.id) },
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_has_151_in_order_with_known_names() {
        let dex = Pokedex::get().unwrap();
        assert_eq!(dex.all().len(), COUNT as usize);
        let notes = "bulbasaur ivysaur venusaur charmander charmeleon charizard squirtle \
                     wartortle blastoise caterpie metapod butterfree weedle kakuna beedrill \
                     pidgey pidgeotto pidgeot rattata";
        let first19: Vec<&str> = (1..=19)
            .map(|i| dex.by_id(i).unwrap().name.as_str())
            .collect();
        assert_eq!(first19.join(" "), notes);
        assert_eq!(dex.by_id(29).unwrap().name, "nidoran-f");
        assert_eq!(dex.by_id(122).unwrap().name, "mr-mime");
        assert_eq!(dex.by_id(151).unwrap().name, "mew");
        assert!(dex.by_id(0).is_none() && dex.by_id(152).is_none());
        assert_eq!(dex.by_name("Pikachu").unwrap().id, 25);
        let v: serde_json::Value = serde_json::from_slice(&dex.body(6).unwrap()).unwrap();
        assert_eq!(v["name"], "charizard");
        assert_eq!(v["types"][1]["type"]["name"], "flying");
        assert_eq!(v["types"][1]["slot"], 2);
        assert_eq!(v["height"], 17);
    }

    #[test]
    fn bad_lines_name_their_line() {
        let e = Pokedex::parse("# c\n1,a,1,1,x\n3,b,1,1,y\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = Pokedex::parse("1,a,one,1,x\n").unwrap_err();
        assert!(e.to_string().contains("height `one`"), "{e}");
        assert!(Pokedex::parse("1,a,1\n").is_err());
    }
}
