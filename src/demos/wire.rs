//! A message on the wire, for the processes pane: the frame's length
//! prefix and the pickle's opcodes, bytes in hex beside what they mean.
//! Examples publish it as `State` events under [`WIRE_KEY`].

use crate::net::mp::conn::frame_header;
use crate::net::mp::pickle;
use crate::trace::{EventKind, LaneId, Tracer};

/// The `State` key whose value (lines joined by `\n`) is the wire dump.
pub const WIRE_KEY: &str = "wire";
/// The `State` key naming what the wire dump shows.
pub const WIRE_TITLE_KEY: &str = "wire.title";

/// Bytes shown per line before the hex is cut.
const PER_LINE: usize = 11;

/// Lines `00 00 00 20                  length 32 (big-endian)` then the
/// pickle's opcodes, a few per line.
pub fn dump(pickled: &[u8]) -> Vec<String> {
    let head = frame_header(pickled.len());
    let mut lines = vec![row(
        &head,
        &format!("length {} (big-endian)", pickled.len()),
    )];
    let Ok(ops) = pickle::disassemble(pickled) else {
        lines.push(row(pickled, "(not a pickle racecourse reads)"));
        return lines;
    };
    let mut bytes: Vec<u8> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for op in ops {
        let b = &pickled[op.at..op.at + op.len];
        if op.text == "MEMOIZE" && !names.is_empty() {
            bytes.extend_from_slice(b);
            if let Some(last) = names.last_mut() {
                last.push_str(" +memo");
            }
            continue;
        }
        if !names.is_empty() && bytes.len() + b.len() > PER_LINE {
            lines.push(row(&bytes, &names.join(", ")));
            bytes.clear();
            names.clear();
        }
        bytes.extend_from_slice(b);
        names.push(op.text);
    }
    if !names.is_empty() {
        lines.push(row(&bytes, &names.join(", ")));
    }
    lines
}

fn row(bytes: &[u8], what: &str) -> String {
    let mut hex: Vec<String> = bytes
        .iter()
        .take(PER_LINE)
        .map(|b| format!("{b:02x}"))
        .collect();
    if bytes.len() > PER_LINE {
        hex.push("…".into());
    }
    format!("{:<35}{what}", hex.join(" "))
}

/// Publishes `pickled`'s dump under `title` on `lane`.
pub fn publish(tracer: &Tracer, lane: LaneId, title: &str, pickled: &[u8]) {
    tracer.emit(
        lane,
        EventKind::State {
            key: WIRE_TITLE_KEY.into(),
            value: title.into(),
        },
    );
    tracer.emit(
        lane,
        EventKind::State {
            key: WIRE_KEY.into(),
            value: dump(pickled).join("\n"),
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notes_message_is_drawn_opcode_by_opcode() {
        let lines = dump(&pickle::dumps(&pickle::hello_world()));
        let want = [
            "00 00 00 20                        length 32 (big-endian)",
            "80 04 95 15 00 00 00 00 00 00 00   PROTO 4, FRAME 21",
            "5d 94 28 8c 05 68 65 6c 6c 6f 94   EMPTY_LIST +memo, MARK, UNICODE 'hello' +memo",
            "8c 05 77 6f 72 6c 64 94 65 2e      UNICODE 'world' +memo, APPENDS, STOP",
        ];
        assert_eq!(lines, want);
    }
}
