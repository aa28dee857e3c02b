//! The small part of Python's pickle format that messages between
//! processes need: `None`, `bool`, `int` (64-bit), `float`, `str`,
//! `bytes`, `list`, `tuple` and `dict`.
//!
//! [`dumps`] writes what CPython 3.11's `pickle.dumps` writes for such a
//! value at protocol 4 (its default, and what `multiprocessing` sends):
//! `PROTO 4`, one `FRAME`, a `MEMOIZE` after each container, string and
//! bytes object. CPython also memoizes *identical* objects (an interned
//! string used twice becomes a `BINGET`); a tree of values has no
//! identity, so it writes the value again, which reads back the same.
//!
//! [`loads`] reads protocols 2 to 5 for those types and refuses every
//! other opcode: a pickle that names a class or calls a function
//! (`GLOBAL`, `REDUCE`…) runs code in Python's `pickle.loads`; here it is
//! an error. [`disassemble`] names each opcode with its bytes, for the
//! pane that draws a message on the wire.

use std::fmt;

/// A Python value of the supported kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Dict(Vec<(Value, Value)>),
}

/// Why bytes are not a pickle we read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PickleError {
    #[error("the pickle ends early (at byte {0})")]
    Truncated(usize),
    #[error(
        "unsupported pickle opcode 0x{op:02x} at byte {at}: racecourse reads None, bool, int, float, str, bytes, list, tuple and dict"
    )]
    Unsupported { op: u8, at: usize },
    #[error("malformed pickle at byte {0}: {1}")]
    Malformed(usize, &'static str),
}

// Opcodes (names as in CPython's Lib/pickle.py).
const PROTO: u8 = 0x80;
const FRAME: u8 = 0x95;
const STOP: u8 = b'.';
const MARK: u8 = b'(';
const MEMOIZE: u8 = 0x94;
const BINPUT: u8 = b'q';
const LONG_BINPUT: u8 = b'r';
const BINGET: u8 = b'h';
const LONG_BINGET: u8 = b'j';
const NONE: u8 = b'N';
const NEWTRUE: u8 = 0x88;
const NEWFALSE: u8 = 0x89;
const BININT: u8 = b'J';
const BININT1: u8 = b'K';
const BININT2: u8 = b'M';
const LONG1: u8 = 0x8a;
const BINFLOAT: u8 = b'G';
const SHORT_BINUNICODE: u8 = 0x8c;
const BINUNICODE: u8 = b'X';
const BINUNICODE8: u8 = 0x8d;
const SHORT_BINBYTES: u8 = b'C';
const BINBYTES: u8 = b'B';
const BINBYTES8: u8 = 0x8e;
const EMPTY_LIST: u8 = b']';
const APPEND: u8 = b'a';
const APPENDS: u8 = b'e';
const LIST: u8 = b'l';
const EMPTY_TUPLE: u8 = b')';
const TUPLE: u8 = b't';
const TUPLE1: u8 = 0x85;
const TUPLE2: u8 = 0x86;
const TUPLE3: u8 = 0x87;
const EMPTY_DICT: u8 = b'}';
const DICT: u8 = b'd';
const SETITEM: u8 = b's';
const SETITEMS: u8 = b'u';

/// CPython frames a pickle only when its body has at least this many bytes.
const FRAME_SIZE_MIN: usize = 4;
/// Items per `APPENDS` / `SETITEMS` batch, as CPython.
const BATCH: usize = 1000;

/// `pickle.dumps(value)` at protocol 4.
pub fn dumps(value: &Value) -> Vec<u8> {
    let mut body = Vec::new();
    save(value, &mut body);
    body.push(STOP);
    let mut out = vec![PROTO, 4];
    if body.len() >= FRAME_SIZE_MIN {
        out.push(FRAME);
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    }
    out.extend_from_slice(&body);
    out
}

fn save(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::None => out.push(NONE),
        Value::Bool(b) => out.push(if *b { NEWTRUE } else { NEWFALSE }),
        Value::Int(i) => save_int(*i, out),
        Value::Float(f) => {
            out.push(BINFLOAT);
            out.extend_from_slice(&f.to_be_bytes());
        }
        Value::Str(s) => {
            let b = s.as_bytes();
            if b.len() < 256 {
                out.extend_from_slice(&[SHORT_BINUNICODE, b.len() as u8]);
            } else if let Ok(n) = u32::try_from(b.len()) {
                out.push(BINUNICODE);
                out.extend_from_slice(&n.to_le_bytes());
            } else {
                out.push(BINUNICODE8);
                out.extend_from_slice(&(b.len() as u64).to_le_bytes());
            }
            out.extend_from_slice(b);
            out.push(MEMOIZE);
        }
        Value::Bytes(b) => {
            if b.len() < 256 {
                out.extend_from_slice(&[SHORT_BINBYTES, b.len() as u8]);
            } else if let Ok(n) = u32::try_from(b.len()) {
                out.push(BINBYTES);
                out.extend_from_slice(&n.to_le_bytes());
            } else {
                out.push(BINBYTES8);
                out.extend_from_slice(&(b.len() as u64).to_le_bytes());
            }
            out.extend_from_slice(b);
            out.push(MEMOIZE);
        }
        Value::List(items) => {
            out.extend_from_slice(&[EMPTY_LIST, MEMOIZE]);
            for batch in items.chunks(BATCH) {
                if let [one] = batch {
                    save(one, out);
                    out.push(APPEND);
                } else {
                    out.push(MARK);
                    batch.iter().for_each(|i| save(i, out));
                    out.push(APPENDS);
                }
            }
        }
        Value::Tuple(items) => match items.len() {
            0 => out.push(EMPTY_TUPLE),
            n @ 1..=3 => {
                items.iter().for_each(|i| save(i, out));
                out.push([TUPLE1, TUPLE2, TUPLE3][n - 1]);
                out.push(MEMOIZE);
            }
            _ => {
                out.push(MARK);
                items.iter().for_each(|i| save(i, out));
                out.extend_from_slice(&[TUPLE, MEMOIZE]);
            }
        },
        Value::Dict(pairs) => {
            out.extend_from_slice(&[EMPTY_DICT, MEMOIZE]);
            for batch in pairs.chunks(BATCH) {
                if let [(k, v)] = batch {
                    save(k, out);
                    save(v, out);
                    out.push(SETITEM);
                } else {
                    out.push(MARK);
                    for (k, v) in batch {
                        save(k, out);
                        save(v, out);
                    }
                    out.push(SETITEMS);
                }
            }
        }
    }
}

fn save_int(i: i64, out: &mut Vec<u8>) {
    if let Ok(b) = u8::try_from(i) {
        out.extend_from_slice(&[BININT1, b]);
    } else if let Ok(w) = u16::try_from(i) {
        out.push(BININT2);
        out.extend_from_slice(&w.to_le_bytes());
    } else if let Ok(d) = i32::try_from(i) {
        out.push(BININT);
        out.extend_from_slice(&d.to_le_bytes());
    } else {
        // LONG1: the shortest little-endian two's complement.
        let bytes = i.to_le_bytes();
        let mut n = 8;
        while n > 1 {
            let (top, next) = (bytes[n - 1], bytes[n - 2]);
            let redundant = (top == 0 && next & 0x80 == 0) || (top == 0xff && next & 0x80 != 0);
            if !redundant {
                break;
            }
            n -= 1;
        }
        out.extend_from_slice(&[LONG1, n as u8]);
        out.extend_from_slice(&bytes[..n]);
    }
}

/// One opcode of a pickle: where it is, how many bytes, what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub at: usize,
    pub len: usize,
    /// `SHORT_BINUNICODE 'hello'`, `FRAME 21`, `MEMOIZE`.
    pub text: String,
}

/// `pickle.loads(data)` for the supported kinds.
pub fn loads(data: &[u8]) -> Result<Value, PickleError> {
    Reader::new(data).run().map(|(v, _)| v)
}

/// The opcodes of a pickle, as `pickletools.dis` lists them (shorter).
pub fn disassemble(data: &[u8]) -> Result<Vec<Op>, PickleError> {
    Reader::new(data).run().map(|(_, ops)| ops)
}

enum Item {
    Mark,
    V(Value),
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    stack: Vec<Item>,
    memo: Vec<Option<Value>>,
    ops: Vec<Op>,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Reader<'a> {
        Reader {
            data,
            pos: 0,
            stack: Vec::new(),
            memo: Vec::new(),
            ops: Vec::new(),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], PickleError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or(PickleError::Truncated(self.data.len()))?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn le(&mut self, n: usize) -> Result<u64, PickleError> {
        let b = self.take(n)?;
        Ok(b.iter()
            .rev()
            .fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
    }

    fn len_of(&mut self, n: usize) -> Result<usize, PickleError> {
        let at = self.pos;
        usize::try_from(self.le(n)?).map_err(|_| PickleError::Malformed(at, "length too large"))
    }

    fn pop(&mut self, at: usize) -> Result<Value, PickleError> {
        match self.stack.pop() {
            Some(Item::V(v)) => Ok(v),
            _ => Err(PickleError::Malformed(at, "stack underflow")),
        }
    }

    /// The values above the topmost mark, which is removed.
    fn pop_mark(&mut self, at: usize) -> Result<Vec<Value>, PickleError> {
        let mut items = Vec::new();
        loop {
            match self.stack.pop() {
                Some(Item::V(v)) => items.push(v),
                Some(Item::Mark) => break,
                None => return Err(PickleError::Malformed(at, "no MARK")),
            }
        }
        items.reverse();
        Ok(items)
    }

    fn top(&mut self, at: usize) -> Result<&mut Value, PickleError> {
        match self.stack.last_mut() {
            Some(Item::V(v)) => Ok(v),
            _ => Err(PickleError::Malformed(at, "stack underflow")),
        }
    }

    fn extend(&mut self, at: usize, items: Vec<Value>) -> Result<(), PickleError> {
        match self.top(at)? {
            Value::List(l) => {
                l.extend(items);
                Ok(())
            }
            _ => Err(PickleError::Malformed(at, "APPEND to a non-list")),
        }
    }

    fn set_items(&mut self, at: usize, items: Vec<Value>) -> Result<(), PickleError> {
        if !items.len().is_multiple_of(2) {
            return Err(PickleError::Malformed(at, "odd number of dict items"));
        }
        let Value::Dict(d) = self.top(at)? else {
            return Err(PickleError::Malformed(at, "SETITEM on a non-dict"));
        };
        let mut it = items.into_iter();
        while let (Some(k), Some(v)) = (it.next(), it.next()) {
            match d.iter_mut().find(|(old, _)| *old == k) {
                Some(slot) => slot.1 = v,
                None => d.push((k, v)),
            }
        }
        Ok(())
    }

    fn memo_put(&mut self, at: usize, index: usize) -> Result<(), PickleError> {
        let v = match self.stack.last() {
            Some(Item::V(v)) => v.clone(),
            _ => return Err(PickleError::Malformed(at, "nothing to memoize")),
        };
        if self.memo.len() <= index {
            if index > self.data.len() {
                return Err(PickleError::Malformed(at, "memo index too large"));
            }
            self.memo.resize(index + 1, None);
        }
        self.memo[index] = Some(v);
        Ok(())
    }

    fn memo_get(&mut self, at: usize, index: usize) -> Result<String, PickleError> {
        let v = self
            .memo
            .get(index)
            .cloned()
            .flatten()
            .ok_or(PickleError::Malformed(at, "unknown memo index"))?;
        let text = format!("{v}");
        self.stack.push(Item::V(v));
        Ok(text)
    }

    fn text(&mut self, n: usize) -> Result<Value, PickleError> {
        let at = self.pos;
        let b = self.take(n)?;
        std::str::from_utf8(b)
            .map(|s| Value::Str(s.to_string()))
            .map_err(|_| PickleError::Malformed(at, "string is not UTF-8"))
    }

    #[allow(clippy::too_many_lines)] // one arm per opcode, as pickle.py
    fn run(mut self) -> Result<(Value, Vec<Op>), PickleError> {
        loop {
            let at = self.pos;
            let op = *self.take(1)?.first().unwrap_or(&0);
            let text: String = match op {
                PROTO => {
                    let p = self.le(1)?;
                    if !(2..=5).contains(&p) {
                        return Err(PickleError::Malformed(at, "protocol outside 2..=5"));
                    }
                    format!("PROTO {p}")
                }
                FRAME => format!("FRAME {}", self.le(8)?),
                STOP => {
                    self.ops.push(Op {
                        at,
                        len: 1,
                        text: "STOP".into(),
                    });
                    let v = self.pop(at)?;
                    return Ok((v, self.ops));
                }
                MARK => {
                    self.stack.push(Item::Mark);
                    "MARK".into()
                }
                MEMOIZE => {
                    let i = self.memo.len();
                    self.memo_put(at, i)?;
                    "MEMOIZE".into()
                }
                BINPUT | LONG_BINPUT => {
                    let i = self.len_of(if op == BINPUT { 1 } else { 4 })?;
                    self.memo_put(at, i)?;
                    format!("BINPUT {i}")
                }
                BINGET | LONG_BINGET => {
                    let i = self.len_of(if op == BINGET { 1 } else { 4 })?;
                    format!("BINGET {}", self.memo_get(at, i)?)
                }
                NONE => self.push(Value::None),
                NEWTRUE => self.push(Value::Bool(true)),
                NEWFALSE => self.push(Value::Bool(false)),
                BININT1 => {
                    let v = self.le(1)?;
                    self.push(Value::Int(v.cast_signed()))
                }
                BININT2 => {
                    let v = self.le(2)?;
                    self.push(Value::Int(v.cast_signed()))
                }
                BININT => {
                    let b = self.take(4)?;
                    let v = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                    self.push(Value::Int(i64::from(v)))
                }
                LONG1 => {
                    let n = self.len_of(1)?;
                    if n > 8 {
                        return Err(PickleError::Malformed(at, "int wider than 64 bits"));
                    }
                    let b = self.take(n)?;
                    let neg = b.last().is_some_and(|x| x & 0x80 != 0);
                    let mut full = [if neg { 0xff } else { 0 }; 8];
                    full[..n].copy_from_slice(b);
                    self.push(Value::Int(i64::from_le_bytes(full)))
                }
                BINFLOAT => {
                    let b = self.take(8)?;
                    let mut a = [0; 8];
                    a.copy_from_slice(b);
                    self.push(Value::Float(f64::from_be_bytes(a)))
                }
                SHORT_BINUNICODE | BINUNICODE | BINUNICODE8 => {
                    let w = match op {
                        SHORT_BINUNICODE => 1,
                        BINUNICODE => 4,
                        _ => 8,
                    };
                    let n = self.len_of(w)?;
                    let v = self.text(n)?;
                    self.push(v)
                }
                SHORT_BINBYTES | BINBYTES | BINBYTES8 => {
                    let w = match op {
                        SHORT_BINBYTES => 1,
                        BINBYTES => 4,
                        _ => 8,
                    };
                    let n = self.len_of(w)?;
                    let b = self.take(n)?.to_vec();
                    self.push(Value::Bytes(b))
                }
                EMPTY_LIST => self.push(Value::List(Vec::new())),
                EMPTY_TUPLE => self.push(Value::Tuple(Vec::new())),
                EMPTY_DICT => self.push(Value::Dict(Vec::new())),
                APPEND => {
                    let v = self.pop(at)?;
                    self.extend(at, vec![v])?;
                    "APPEND".into()
                }
                APPENDS => {
                    let items = self.pop_mark(at)?;
                    self.extend(at, items)?;
                    "APPENDS".into()
                }
                LIST => {
                    let items = self.pop_mark(at)?;
                    self.push(Value::List(items))
                }
                TUPLE => {
                    let items = self.pop_mark(at)?;
                    self.push(Value::Tuple(items))
                }
                TUPLE1 | TUPLE2 | TUPLE3 => {
                    let n = usize::from(op - TUPLE1) + 1;
                    let mut items = Vec::with_capacity(n);
                    for _ in 0..n {
                        items.push(self.pop(at)?);
                    }
                    items.reverse();
                    self.push(Value::Tuple(items))
                }
                DICT => {
                    let items = self.pop_mark(at)?;
                    self.stack.push(Item::V(Value::Dict(Vec::new())));
                    self.set_items(at, items)?;
                    "DICT".into()
                }
                SETITEM => {
                    let v = self.pop(at)?;
                    let k = self.pop(at)?;
                    self.set_items(at, vec![k, v])?;
                    "SETITEM".into()
                }
                SETITEMS => {
                    let items = self.pop_mark(at)?;
                    self.set_items(at, items)?;
                    "SETITEMS".into()
                }
                other => return Err(PickleError::Unsupported { op: other, at }),
            };
            let len = self.pos - at;
            self.ops.push(Op { at, len, text });
        }
    }

    /// Pushes a value; its opcode's text names it.
    fn push(&mut self, v: Value) -> String {
        let name = match &v {
            Value::None => "NONE".to_string(),
            Value::Bool(true) => "NEWTRUE".into(),
            Value::Bool(false) => "NEWFALSE".into(),
            Value::List(_) => "EMPTY_LIST".into(),
            Value::Tuple(t) if t.is_empty() => "EMPTY_TUPLE".into(),
            Value::Dict(_) => "EMPTY_DICT".into(),
            other => format!("{} {other}", kind(other)),
        };
        self.stack.push(Item::V(v));
        name
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Int(_) => "INT",
        Value::Float(_) => "BINFLOAT",
        Value::Str(_) => "UNICODE",
        Value::Bytes(_) => "BYTES",
        Value::Tuple(_) => "TUPLE",
        _ => "",
    }
}

/// Python's `repr`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn seq(f: &mut fmt::Formatter<'_>, items: &[Value]) -> fmt::Result {
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            Ok(())
        }
        match self {
            Value::None => f.write_str("None"),
            Value::Bool(true) => f.write_str("True"),
            Value::Bool(false) => f.write_str("False"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) if x.fract() == 0.0 && x.abs() < 1e16 => write!(f, "{x:.1}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => write!(f, "'{}'", s.escape_debug().to_string().replace('\'', "\\'")),
            Value::Bytes(b) => {
                f.write_str("b'")?;
                for &c in b {
                    match c {
                        b'\'' => f.write_str("\\'")?,
                        b'\\' => f.write_str("\\\\")?,
                        0x20..=0x7e => write!(f, "{}", c as char)?,
                        b'\n' => f.write_str("\\n")?,
                        _ => write!(f, "\\x{c:02x}")?,
                    }
                }
                f.write_str("'")
            }
            Value::List(items) => {
                f.write_str("[")?;
                seq(f, items)?;
                f.write_str("]")
            }
            Value::Tuple(items) => {
                f.write_str("(")?;
                seq(f, items)?;
                f.write_str(if items.len() == 1 { ",)" } else { ")" })
            }
            Value::Dict(pairs) => {
                f.write_str("{")?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// The notes' message, `['hello', 'world']`.
pub fn hello_world() -> Value {
    Value::List(vec![Value::Str("hello".into()), Value::Str("world".into())])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }

    // Each expected pickle is CPython 3.11's `pickle.dumps(value).hex(' ')`.
    #[test]
    fn dumps_writes_cpython_bytes() {
        let cases = [
            (
                hello_world(),
                "80 04 95 15 00 00 00 00 00 00 00 5d 94 28 8c 05 68 65 6c 6c 6f 94 8c 05 77 6f 72 6c 64 94 65 2e",
            ),
            (
                Value::Tuple(vec![
                    Value::Int(1),
                    Value::Float(2.5),
                    Value::None,
                    Value::Bool(true),
                    Value::Bytes(b"ab".to_vec()),
                ]),
                "80 04 95 16 00 00 00 00 00 00 00 28 4b 01 47 40 04 00 00 00 00 00 00 4e 88 43 02 61 62 94 74 94 2e",
            ),
            (
                Value::Dict(vec![
                    (Value::Str("a".into()), Value::Int(1)),
                    (
                        Value::Str("b".into()),
                        Value::List(vec![Value::Int(1), Value::Int(2)]),
                    ),
                ]),
                "80 04 95 17 00 00 00 00 00 00 00 7d 94 28 8c 01 61 94 4b 01 8c 01 62 94 5d 94 28 4b 01 4b 02 65 75 2e",
            ),
            (
                Value::Int(300),
                "80 04 95 04 00 00 00 00 00 00 00 4d 2c 01 2e",
            ),
            (
                Value::Int(-1),
                "80 04 95 06 00 00 00 00 00 00 00 4a ff ff ff ff 2e",
            ),
            (
                Value::Int(1 << 40),
                "80 04 95 09 00 00 00 00 00 00 00 8a 06 00 00 00 00 00 01 2e",
            ),
            (
                Value::Str("é".into()),
                "80 04 95 06 00 00 00 00 00 00 00 8c 02 c3 a9 94 2e",
            ),
            (Value::List(vec![]), "80 04 5d 94 2e"),
            (Value::Tuple(vec![]), "80 04 29 2e"),
        ];
        for (v, want) in cases {
            assert_eq!(dumps(&v), hex(want), "{v}");
            assert_eq!(loads(&hex(want)).unwrap(), v, "{v}");
        }
    }

    #[test]
    fn ints_round_trip_at_every_width() {
        for i in [
            0,
            255,
            256,
            65535,
            65536,
            -129,
            i64::from(i32::MIN) - 1,
            i64::MAX,
            i64::MIN,
        ] {
            assert_eq!(loads(&dumps(&Value::Int(i))).unwrap(), Value::Int(i), "{i}");
        }
    }

    #[test]
    fn a_memoized_string_reads_back() {
        // pickle.dumps(['a', 'a']): the interned 'a' is written once.
        let v = loads(&hex(
            "80 04 95 0b 00 00 00 00 00 00 00 5d 94 28 8c 01 61 94 68 01 65 2e",
        ))
        .unwrap();
        assert_eq!(v.to_string(), "['a', 'a']");
    }

    #[test]
    fn repr_is_pythons() {
        assert_eq!(hello_world().to_string(), "['hello', 'world']");
        let t = Value::Tuple(vec![Value::Float(1.0), Value::Bytes(b"a\x00'".to_vec())]);
        assert_eq!(t.to_string(), r"(1.0, b'a\x00\'')");
        assert_eq!(Value::Tuple(vec![Value::None]).to_string(), "(None,)");
    }

    #[test]
    fn code_and_garbage_are_refused() {
        // pickle.dumps(print): GLOBAL-style opcodes name a function.
        let global = hex(
            "80 04 95 16 00 00 00 00 00 00 00 8c 08 62 75 69 6c 74 69 6e 73 94 8c 05 70 72 69 6e 74 94 93 94 2e",
        );
        assert!(matches!(
            loads(&global),
            Err(PickleError::Unsupported { op: 0x93, .. })
        ));
        assert!(matches!(
            loads(&[0x80, 4, b']']),
            Err(PickleError::Truncated(_))
        ));
        assert!(loads(b".").is_err(), "STOP on an empty stack");
        assert!(loads(b"e.").is_err(), "APPENDS without a MARK");
        assert!(loads(&[]).is_err());
    }

    #[test]
    fn disassembly_names_each_opcode() {
        let ops = disassemble(&dumps(&hello_world())).unwrap();
        let names: Vec<&str> = ops.iter().map(|o| o.text.as_str()).collect();
        assert_eq!(
            names,
            [
                "PROTO 4",
                "FRAME 21",
                "EMPTY_LIST",
                "MEMOIZE",
                "MARK",
                "UNICODE 'hello'",
                "MEMOIZE",
                "UNICODE 'world'",
                "MEMOIZE",
                "APPENDS",
                "STOP"
            ]
        );
        assert_eq!((ops[5].at, ops[5].len), (14, 7));
    }
}
