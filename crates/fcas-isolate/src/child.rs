//! The child's side: read requests, answer each with a report, until standard input closes.
use std::cell::{Cell, RefCell};
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use fcas_report::Report;

use crate::protocol::Heartbeat;
use crate::{Request, Response};

/// Heartbeats are sent at most this often.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(1);

/// Serves requests from `input` until it closes, writing one response line per request to
/// `output`. `analyze` does the work (the CLI passes the engine plus models) and may call the
/// function it is given with the count of files done so far (a container's descendants): a
/// heartbeat line then tells the parent the analysis is moving, at most once a second. A line
/// that is not a request is answered with a report whose error says so.
pub fn serve(input: impl BufRead, output: impl Write, analyze: impl Fn(&Request, &dyn Fn(usize)) -> Report) -> std::io::Result<()> {
    let output = RefCell::new(output);
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let response = match serde_json::from_str::<Request>(&line) {
            Ok(request) => {
                let last = Cell::new(Instant::now());
                let beat = |files: usize| {
                    if last.get().elapsed() >= HEARTBEAT_EVERY {
                        last.set(Instant::now());
                        let mut out = output.borrow_mut();
                        let _ = serde_json::to_writer(&mut *out, &Heartbeat { id: request.id, heartbeat: files });
                        let _ = out.write_all(b"\n").and_then(|()| out.flush());
                    }
                };
                let mut report = analyze(&request, &beat);
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
        let mut output = output.borrow_mut();
        output.write_all(&answer)?;
        output.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_analysis_sends_heartbeats_before_its_answer_and_never_more_than_one_a_second() {
        let input = b"{\"id\":3,\"path\":\"x\"}\n".as_slice();
        let mut output = Vec::new();
        serve(input, &mut output, |_, beat| {
            beat(1); // too soon after the request: nothing sent
            std::thread::sleep(HEARTBEAT_EVERY + Duration::from_millis(50));
            beat(2);
            beat(3); // too soon after the last one
            Report::default()
        })
        .unwrap();
        let text = String::from_utf8(output).unwrap();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(Heartbeat::parse(lines[0]), Some(Heartbeat { id: 3, heartbeat: 2 }));
        assert!(Heartbeat::parse(lines[1]).is_none());
        let answer: Response = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(answer.id, 3);
    }
}
