//! The child's side: read requests, answer each with a report, until standard input closes.
use std::io::{BufRead, Write};

use fcas_report::Report;

use crate::{Request, Response};

/// Serves requests from `input` until it closes, writing one response line per request to
/// `output`. `analyze` does the work (the CLI passes the engine plus models). A line that is not a
/// request is answered with a report whose error says so.
pub fn serve(input: impl BufRead, mut output: impl Write, analyze: impl Fn(&Request) -> Report) -> std::io::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let response = match serde_json::from_str::<Request>(&line) {
            Ok(request) => {
                let mut report = analyze(&request);
                request.present(&mut report);
                Response { id: request.id, report }
            }
            Err(error) => {
                Response { id: 0, report: Report::failed("", fcas_report::stage::ISOLATION, format!("malformed request: {error}")) }
            }
        };
        // One write per answer: standard output's own buffer is 1 KiB, and a report of a large
        // file is hundreds of KiB of JSON.
        let mut answer = serde_json::to_vec(&response)?;
        answer.push(b'\n');
        output.write_all(&answer)?;
        output.flush()?;
    }
    Ok(())
}
