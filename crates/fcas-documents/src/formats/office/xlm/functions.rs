//! Names of the built-in functions a formula calls by index (MS-XLS 2.5.198.17 Ftab), with the
//! argument count of those that take a fixed number (called by `ptgFunc`).

/// `(index, name, fixed argument count or None when variable)`.
const FUNCTIONS: &[(u16, &str, Option<u8>)] = &[
    (0, "COUNT", None),
    (1, "IF", None),
    (2, "ISNA", Some(1)),
    (3, "ISERROR", Some(1)),
    (4, "SUM", None),
    (5, "AVERAGE", None),
    (6, "MIN", None),
    (7, "MAX", None),
    (8, "ROW", None),
    (9, "COLUMN", None),
    (10, "NA", Some(0)),
    (15, "SIN", Some(1)),
    (16, "COS", Some(1)),
    (19, "PI", Some(0)),
    (20, "SQRT", Some(1)),
    (24, "ABS", Some(1)),
    (25, "INT", Some(1)),
    (26, "SIGN", Some(1)),
    (27, "ROUND", Some(2)),
    (30, "REPT", Some(2)),
    (31, "MID", Some(3)),
    (32, "LEN", Some(1)),
    (33, "VALUE", Some(1)),
    (34, "TRUE", Some(0)),
    (35, "FALSE", Some(0)),
    (36, "AND", None),
    (37, "OR", None),
    (38, "NOT", Some(1)),
    (39, "MOD", Some(2)),
    (48, "TEXT", Some(2)),
    (53, "GOTO", Some(1)),
    (54, "HALT", None),
    (55, "RETURN", None),
    (63, "RAND", Some(0)),
    (65, "DATE", Some(3)),
    (66, "TIME", Some(3)),
    (67, "DAY", Some(1)),
    (68, "MONTH", Some(1)),
    (69, "YEAR", Some(1)),
    (74, "NOW", Some(0)),
    (78, "OFFSET", None),
    (79, "ABSREF", Some(2)),
    (80, "RELREF", Some(2)),
    (81, "ARGUMENT", None),
    (82, "SEARCH", None),
    (84, "ERROR", None),
    (85, "STEP", Some(0)),
    (86, "TYPE", Some(1)),
    (87, "ECHO", None),
    (88, "SET.NAME", None),
    (89, "CALLER", Some(0)),
    (90, "DEREF", Some(1)),
    (91, "WINDOWS", None),
    (93, "DOCUMENTS", None),
    (94, "ACTIVE.CELL", Some(0)),
    (95, "SELECTION", Some(0)),
    (96, "RESULT", None),
    (100, "CHOOSE", None),
    (104, "INPUT", None),
    (105, "ISREF", Some(1)),
    (106, "GET.FORMULA", Some(1)),
    (107, "GET.NAME", None),
    (108, "SET.VALUE", Some(2)),
    (110, "EXEC", None),
    (111, "CHAR", Some(1)),
    (112, "LOWER", Some(1)),
    (113, "UPPER", Some(1)),
    (115, "LEFT", None),
    (116, "RIGHT", None),
    (117, "EXACT", Some(2)),
    (118, "TRIM", Some(1)),
    (119, "REPLACE", Some(4)),
    (120, "SUBSTITUTE", None),
    (121, "CODE", Some(1)),
    (124, "FIND", None),
    (125, "CELL", None),
    (130, "T", Some(1)),
    (131, "N", Some(1)),
    (132, "FOPEN", None),
    (133, "FCLOSE", Some(1)),
    (136, "FREAD", Some(2)),
    (137, "FWRITELN", Some(2)),
    (138, "FWRITE", Some(2)),
    (148, "INDIRECT", None),
    (149, "REGISTER", None),
    (150, "CALL", None),
    (185, "GET.CELL", None),
    (186, "GET.WORKSPACE", Some(1)),
    (187, "GET.WINDOW", None),
    (188, "GET.DOCUMENT", None),
    (255, "", None),
];

/// Command-equivalent functions (MS-XLS 2.5.198.17 Cetab), called by `ptgFuncVar` with the
/// high bit of the index set: the ones macro malware uses.
const COMMANDS: &[(u16, &str)] = &[
    (0, "BEEP"),
    (1, "OPEN"),
    (4, "SAVE"),
    (5, "SAVE.AS"),
    (6, "FILE.DELETE"),
    (10, "QUIT"),
    (16, "CLOSE"),
    (17, "RUN"),
    (54, "EDIT.DELETE"),
    (93, "HIDE"),
    (94, "UNHIDE"),
    (96, "FORMULA"),
    (97, "FORMULA.FILL"),
    (98, "FORMULA.ARRAY"),
    (109, "SELECT"),
    (118, "ALERT"),
    (119, "NEW"),
    (122, "MESSAGE"),
    (131, "SEND.KEYS"),
    (148, "ON.TIME"),
    (149, "WAIT"),
    (168, "ON.KEY"),
    (173, "APP.MAXIMIZE"),
    (383, "WORKBOOK.HIDE"),
    (384, "WORKBOOK.UNHIDE"),
];

/// The name of command-equivalent function `index`, or `CMD#index`.
pub(super) fn command_name(index: u16) -> String {
    COMMANDS.iter().find(|(at, _)| *at == index).map_or_else(|| format!("CMD#{index}"), |(_, name)| (*name).to_string())
}

/// The name of built-in function `index`, or `FUNC#index`.
pub(super) fn name(index: u16) -> String {
    FUNCTIONS.iter().find(|(at, ..)| *at == index).map_or_else(|| format!("FUNC#{index}"), |(_, name, _)| (*name).to_string())
}

/// The fixed argument count of function `index`, when the table knows it.
pub(super) fn fixed_arguments(index: u16) -> Option<u8> {
    FUNCTIONS.iter().find(|(at, ..)| *at == index).and_then(|(_, _, count)| *count)
}

/// Index of the user-defined-function call: its first argument is the name called.
pub(super) const USER_DEFINED: u16 = 255;
