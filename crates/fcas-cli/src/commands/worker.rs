//! `fcas worker --stdio`: the isolated analysis process the desktop app and the fleet worker talk
//! to. It reads one JSON request per line on standard input and writes one JSON report per line on
//! standard output, loading everything once (models, and the rules of the built-in set, the
//! user's rule folder and each `--rules DIR`).
use std::io;
use std::path::{Path, PathBuf};

use clap::Args;
use fcas_engine::{ExtraStage, Options};
use fcas_isolate::Request;
use fcas_rules::{RuleSet, RulesStage};

use crate::exit::Exit;

/// Arguments of `fcas worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Speak the line protocol on standard input and output (the only mode).
    #[arg(long, required = true)]
    stdio: bool,
    /// The ONNX Runtime library (default: FCAS_ORT_LIB, next to fcas, or the workspace's vendor/onnxruntime/).
    #[arg(long, value_name = "PATH")]
    ort_lib: Option<PathBuf>,
    #[command(flatten)]
    rules: super::rules::RuleFolders,
}

/// Runs `fcas worker`.
pub fn exec(args: WorkerArgs) -> anyhow::Result<Exit> {
    // Loaded once for every request this process will serve; slow models load in the background
    // so the first small file is not kept waiting on them.
    let predictor = fcas_models::Predictor::new(&fcas_models::PredictorConfig::discover(args.ort_lib));
    let rules = args.rules.load_for_analysis("fcas worker");
    std::thread::scope(|scope| {
        scope.spawn(|| predictor.warm_up());
        let stdin = io::stdin().lock();
        let stdout = io::stdout().lock();
        fcas_isolate::serve(stdin, stdout, |request, beat| analyze(request, &predictor, &rules, beat))
    })?;
    Ok(Exit::Success)
}

fn analyze(request: &Request, predictor: &fcas_models::Predictor, rules: &RuleSet, beat: &dyn Fn(usize)) -> fcas_report::Report {
    if request.describe {
        return describe(request, predictor, rules);
    }
    if request.wait_for_models {
        // Joins the background loading (a session being created is waited for, not created twice).
        predictor.warm_up();
    }
    let mut options = Options::from_analysis(&request.options);
    options.extraction.passwords.extend(request.passwords.iter().cloned());
    // Rules first: the models stage's verdict weighs the indicators they raise.
    let rules_stage = RulesStage::new(rules);
    let mut extra: Vec<&dyn ExtraStage> = Vec::new();
    if !request.options.no_rules {
        extra.push(&rules_stage);
    }
    if !request.options.no_models {
        extra.push(predictor);
    }
    // Opened by its path, reported (with its descendants' paths) under the caller's name.
    let name = request.report_name();
    match fcas_engine::OpenedFile::open(Path::new(&request.path), options.limits.max_file_size) {
        Ok(opened) => fcas_engine::analyze_submission_with(name, opened, &options, &extra, beat).into_wire(),
        Err(error) => fcas_engine::input_failure(name, &error),
    }
}

/// The versions this process analyses with, as a report that analysed nothing (see
/// `Request::describe`).
fn describe(request: &Request, predictor: &fcas_models::Predictor, rules: &RuleSet) -> fcas_report::Report {
    let models = if request.options.no_models { Vec::new() } else { predictor.model_versions() };
    let provenance = fcas_report::Provenance {
        rules: (!request.options.no_rules).then(|| rules.id().to_string()),
        ..fcas_report::Provenance::default()
    };
    fcas_report::Report {
        provenance,
        schema_version: fcas_report::SCHEMA_VERSION,
        engine_version: fcas_engine::ENGINE_VERSION.to_string(),
        path: request.path.clone(),
        predictions: models
            .into_iter()
            .map(|(model, version)| fcas_report::Prediction {
                model,
                version,
                label: "not_applicable".into(),
                reason: Some("version probe: nothing was analysed".into()),
                ..fcas_report::Prediction::default()
            })
            .collect(),
        ..fcas_report::Report::default()
    }
}
