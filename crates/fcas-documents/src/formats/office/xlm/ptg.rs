//! Decoding of parsed formulas (MS-XLS 2.5.198 Ptg): the common tokens rebuilt into formula
//! text on a stack; an unknown token leaves the token list instead.
use super::functions;
use crate::bytes::u16_at;

/// The BIFF version, which changes the sizes of references and strings.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Biff {
    /// BIFF5 (Excel 5/95).
    Five,
    /// BIFF8 (Excel 97-2003).
    Eight,
}

/// Operand stack entries kept at most: a formula is at most a few kB of tokens.
const MAX_STACK: usize = 1024;

/// The formula text of `rgce`, or the token list (`[ptg 0x..]`) where a token is not known.
pub(super) fn decode(rgce: &[u8], biff: Biff) -> String {
    let mut tokens = Vec::new();
    match rebuild(rgce, biff, &mut tokens) {
        Some(text) => text,
        None => format!("[{}]", tokens.join(" ")),
    }
}

fn rebuild(rgce: &[u8], biff: Biff, tokens: &mut Vec<String>) -> Option<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut at = 0usize;
    while let Some(&ptg) = rgce.get(at) {
        tokens.push(format!("ptg{ptg:#04x}"));
        at += 1;
        if stack.len() > MAX_STACK {
            return None;
        }
        match ptg {
            0x03..=0x11 => {
                let right = stack.pop()?;
                let left = stack.pop()?;
                stack.push(format!("{left}{}{right}", binary_operator(ptg)?));
            }
            0x12 | 0x13 => {
                let operand = stack.pop()?;
                stack.push(format!("{}{operand}", if ptg == 0x12 { "+" } else { "-" }));
            }
            0x14 => {
                let operand = stack.pop()?;
                stack.push(format!("{operand}%"));
            }
            0x15 => {
                let operand = stack.pop()?;
                stack.push(format!("({operand})"));
            }
            0x16 => stack.push(String::new()),
            0x17 => {
                let (text, used) = string(rgce.get(at..)?, biff)?;
                at += used;
                stack.push(format!("\"{}\"", text.replace('"', "\"\"")));
            }
            0x19 => {
                let grbit = *rgce.get(at)?;
                let count = u16_at(rgce, at + 1)? as usize;
                at += 3;
                if grbit & 0x04 != 0 {
                    // tAttrChoose: a jump table of count + 1 offsets.
                    at = at.checked_add(count.checked_add(1)?.checked_mul(2)?)?;
                }
                if grbit & 0x10 != 0 {
                    let operand = stack.pop()?;
                    stack.push(format!("SUM({operand})"));
                }
            }
            0x1C => {
                stack.push(format!("#ERR{}", rgce.get(at)?));
                at += 1;
            }
            0x1D => {
                stack.push(if *rgce.get(at)? != 0 { "TRUE" } else { "FALSE" }.to_string());
                at += 1;
            }
            0x1E => {
                stack.push(u16_at(rgce, at)?.to_string());
                at += 2;
            }
            0x1F => {
                let value = f64::from_le_bytes(rgce.get(at..at + 8)?.try_into().ok()?);
                stack.push(value.to_string());
                at += 8;
            }
            0x21 | 0x41 | 0x61 => {
                let index = u16_at(rgce, at)?;
                at += 2;
                let count = functions::fixed_arguments(index)?;
                call(&mut stack, functions::name(index), count)?;
            }
            0x22 | 0x42 | 0x62 => {
                let count = *rgce.get(at)? & 0x7f;
                let tab = u16_at(rgce, at + 1)?;
                at += 3;
                let index = tab & 0x7fff;
                if tab & 0x8000 != 0 {
                    call(&mut stack, functions::command_name(index), count)?;
                } else if index == functions::USER_DEFINED {
                    let arguments = pop_arguments(&mut stack, count)?;
                    let (callee, rest) = arguments.split_first()?;
                    stack.push(format!("{}({})", callee.trim_matches('"'), rest.join(",")));
                } else {
                    call(&mut stack, functions::name(index), count)?;
                }
            }
            0x23 | 0x43 | 0x63 => {
                stack.push(format!("NAME#{}", u16_at(rgce, at)?));
                at += if biff == Biff::Eight { 4 } else { 14 };
            }
            0x24 | 0x44 | 0x64 | 0x2A | 0x4A | 0x6A => {
                let (cell, used) = reference(rgce.get(at..)?, biff)?;
                at += used;
                stack.push(if ptg & 0x1f == 0x0A { "#REF!".to_string() } else { cell });
            }
            0x25 | 0x45 | 0x65 | 0x2B | 0x4B | 0x6B => {
                let (area, used) = area(rgce.get(at..)?, biff)?;
                at += used;
                stack.push(if ptg & 0x1f == 0x0B { "#REF!".to_string() } else { area });
            }
            0x39 | 0x59 | 0x79 if biff == Biff::Eight => {
                stack.push(format!("NAMEX#{}", u16_at(rgce, at + 2)?));
                at += 6;
            }
            0x3A | 0x5A | 0x7A if biff == Biff::Eight => {
                let (cell, _) = reference(rgce.get(at + 2..)?, biff)?;
                stack.push(format!("SHEET#{}!{cell}", u16_at(rgce, at)?));
                at += 6;
            }
            0x3B | 0x5B | 0x7B if biff == Biff::Eight => {
                let (area, _) = area(rgce.get(at + 2..)?, biff)?;
                stack.push(format!("SHEET#{}!{area}", u16_at(rgce, at)?));
                at += 10;
            }
            _ => return None,
        }
    }
    match stack.len() {
        0 => None,
        _ => Some(stack.join(",")),
    }
}

fn binary_operator(ptg: u8) -> Option<&'static str> {
    ["+", "-", "*", "/", "^", "&", "<", "<=", "=", ">=", ">", "<>", " ", ",", ":"].get(usize::from(ptg).checked_sub(3)?).copied()
}

fn pop_arguments(stack: &mut Vec<String>, count: u8) -> Option<Vec<String>> {
    let split = stack.len().checked_sub(usize::from(count))?;
    Some(stack.split_off(split))
}

fn call(stack: &mut Vec<String>, name: String, count: u8) -> Option<()> {
    let arguments = pop_arguments(stack, count)?;
    stack.push(format!("{name}({})", arguments.join(",")));
    Some(())
}

/// A ptgStr string: its text and the bytes it took.
fn string(bytes: &[u8], biff: Biff) -> Option<(String, usize)> {
    let count = usize::from(*bytes.first()?);
    if biff == Biff::Five {
        let raw = bytes.get(1..1 + count)?;
        return Some((raw.iter().map(|&b| char::from(b)).collect(), 1 + count));
    }
    let wide = *bytes.get(1)? & 1 != 0;
    if wide {
        let raw = bytes.get(2..2 + count * 2)?;
        let units: Vec<u16> = raw.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
        Some((String::from_utf16_lossy(&units), 2 + count * 2))
    } else {
        let raw = bytes.get(2..2 + count)?;
        Some((raw.iter().map(|&b| char::from(b)).collect(), 2 + count))
    }
}

/// A cell reference (`R1C1` style would need the formula's own cell; absolute A1 is shown).
fn reference(bytes: &[u8], biff: Biff) -> Option<(String, usize)> {
    match biff {
        Biff::Eight => Some((cell_name(u32::from(u16_at(bytes, 0)?), u16_at(bytes, 2)? & 0x3fff), 4)),
        Biff::Five => Some((cell_name(u32::from(u16_at(bytes, 0)? & 0x3fff), u16::from(*bytes.get(2)?)), 3)),
    }
}

fn area(bytes: &[u8], biff: Biff) -> Option<(String, usize)> {
    match biff {
        Biff::Eight => {
            let first = cell_name(u32::from(u16_at(bytes, 0)?), u16_at(bytes, 4)? & 0x3fff);
            let last = cell_name(u32::from(u16_at(bytes, 2)?), u16_at(bytes, 6)? & 0x3fff);
            Some((format!("{first}:{last}"), 8))
        }
        Biff::Five => {
            let first = cell_name(u32::from(u16_at(bytes, 0)? & 0x3fff), u16::from(*bytes.get(4)?));
            let last = cell_name(u32::from(u16_at(bytes, 2)? & 0x3fff), u16::from(*bytes.get(5)?));
            Some((format!("{first}:{last}"), 6))
        }
    }
}

/// A1-style name of a zero-based row and column.
pub(in super::super) fn cell_name(row: u32, column: u16) -> String {
    let mut letters = Vec::new();
    let mut rest = u32::from(column) + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_of_a_string() {
        // EXEC("calc.exe") then HALT()
        let mut rgce = vec![0x17, 8, 0];
        rgce.extend_from_slice(b"calc.exe");
        rgce.extend_from_slice(&[0x42, 1, 110, 0]);
        assert_eq!(decode(&rgce, Biff::Eight), "EXEC(\"calc.exe\")");
        assert_eq!(decode(&[0x42, 0, 54, 0], Biff::Eight), "HALT()");
        assert_eq!(decode(&[0x42, 0, 0x60, 0x80], Biff::Eight), "FORMULA()");
    }

    #[test]
    fn char_arithmetic_and_references() {
        // CHAR(61+4)&A1
        let rgce = [0x1E, 61, 0, 0x1E, 4, 0, 0x03, 0x41, 111, 0, 0x24, 0, 0, 0, 0xC0, 0x08];
        assert_eq!(decode(&rgce, Biff::Eight), "CHAR(61+4)&A1");
        assert_eq!(cell_name(9, 27), "AB10");
    }

    #[test]
    fn unknown_or_cut_tokens_give_the_token_list() {
        assert_eq!(decode(&[0x1E, 1, 0, 0xFF], Biff::Eight), "[ptg0x1e ptg0xff]");
        assert_eq!(decode(&[0x17, 200, 0, b'a'], Biff::Eight), "[ptg0x17]");
        assert_eq!(decode(&[0x19, 0x04, 0xff, 0xff], Biff::Eight), "[ptg0x19]");
    }
}
