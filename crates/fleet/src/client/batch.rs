//! Batches: hash every file, analyse each distinct SHA-256 once with bounded concurrency, and
//! give every path its report (duplicates get a copy under their own name).
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use fcas_engine::OpenedFile;
use fcas_report::Report;
use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::sync::Semaphore;

use super::{open_and_hash, ClientError, FleetClient};

pub(super) async fn run(
    client: &FleetClient,
    paths: &[PathBuf],
    concurrency: usize,
    mut on_result: impl FnMut(usize, &Result<Report, ClientError>),
) -> Vec<Result<Report, ClientError>> {
    let mut results: Vec<Option<Result<Report, ClientError>>> = (0..paths.len()).map(|_| None).collect();
    // Group the inputs by content, in input order; the first path of a group is uploaded.
    let mut groups: Vec<(OpenedFile, String, Vec<usize>)> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    for (index, path) in paths.iter().enumerate() {
        match open_and_hash(path, client.max_size()).await {
            Ok((opened, sha)) => match group_of.get(&sha) {
                Some(&group) => groups[group].2.push(index),
                None => {
                    group_of.insert(sha.clone(), groups.len());
                    groups.push((opened, sha, vec![index]));
                }
            },
            Err(error) => {
                let result = Err(error);
                on_result(index, &result);
                results[index] = Some(result);
            }
        }
    }

    let gate = Semaphore::new(concurrency);
    let mut running: FuturesUnordered<_> = groups
        .into_iter()
        .map(|(opened, sha, indices)| {
            let gate = &gate;
            async move {
                let _permit = gate.acquire().await;
                let path = &paths[indices[0]];
                let result = client.analyze_opened(&opened, &path.to_string_lossy(), &sha).await;
                (indices, result)
            }
        })
        .collect();
    while let Some((indices, result)) = running.next().await {
        for &index in &indices {
            let own = for_path(&result, &paths[index]);
            on_result(index, &own);
            results[index] = Some(own);
        }
    }
    results.into_iter().map(|r| r.unwrap_or_else(|| Err(ClientError::Protocol("no result".into())))).collect()
}

/// The group's result as seen by one of its paths.
fn for_path(result: &Result<Report, ClientError>, path: &Path) -> Result<Report, ClientError> {
    match result {
        Ok(report) => Ok(Report { path: path.to_string_lossy().into_owned(), ..report.clone() }),
        Err(error) => Err(error.duplicate()),
    }
}
