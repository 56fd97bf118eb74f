//! Fuzzes the engine's entry point: any bytes must give a report, and no stage may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = fcas_engine::analyze_bytes("fuzz-input", data, &fcas_engine::Options::default());
    assert_eq!(report.size, data.len() as u64);
    // The pipeline turns a panic into a stage error carrying the panic marker; for the fuzzer
    // that is a bug.
    if let Some(error) = report.errors.iter().find(|e| fcas_engine::report::stage::is_panic(&e.message)) {
        panic!("stage {} panicked: {}", error.stage, error.message);
    }
});
