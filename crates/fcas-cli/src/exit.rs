//! The documented exit codes of `fcas`. README.md ("Exit codes") lists the same table.

/// How `fcas` ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: every input was analysed (a report whose stages recorded errors still counts).
    Success,
    /// 1: the command failed (bad configuration, output not writable, database refused, ...).
    Failure,
    /// 2: the command line is wrong (clap exits with 2 itself).
    #[allow(dead_code)]
    Usage,
    /// 3: at least one input could not be read at all (missing, unreadable, not a regular file,
    /// over --max-size); its report carries an `input` error and the other inputs were analysed.
    SomeInputsUnreadable,
    /// 4: a case-store query (`fcas db ...`) found nothing: an unknown hash or prefix, or no
    /// sample matching the import, indicator or text asked for.
    NotFound,
    /// 5: `fcas rules check` (or `list`) found rule files that cannot be read or compiled; each
    /// error was printed with its file and line.
    RuleErrors,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(match exit {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::SomeInputsUnreadable => 3,
            Exit::NotFound => 4,
            Exit::RuleErrors => 5,
        })
    }
}

/// Shown at the end of `--help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  every input was analysed (stage errors inside a report still count as analysed)
  1  the command failed (bad configuration, unwritable output, ...)
  2  the command line is wrong
  3  some inputs could not be read at all (their reports say why); the others were analysed
  4  a case-store query (fcas db ...) found nothing (unknown hash, no matching sample)
  5  fcas rules check: some rule files cannot be read or compiled (each error printed with file:line)";
