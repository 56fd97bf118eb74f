// A sample opens without its report's string list: on a large file the list is most of the
// report, and the first view does not read it (the backend's `get_report` with `strings: false`
// says so in `strings_left_out`). Views that read strings complete the sample first.

/** The read in progress for each sample, so that views asking at once share one read. */
const reading = new WeakMap();

/**
 * Resolves to `sample` with `report.strings.items` filled in, reading the list once through
 * `readStrings(sha256)` when it was left out. A failed read is tried again on the next call.
 */
export function completeStrings(sample, readStrings) {
  if (!sample?.strings_left_out) return Promise.resolve(sample);
  if (!reading.has(sample)) {
    const read = Promise.resolve(readStrings(sample.report.hashes.sha256)).then(
      (items) => {
        sample.report.strings = { ...(sample.report.strings ?? {}), items };
        sample.strings_left_out = false;
        return sample;
      },
      (error) => {
        reading.delete(sample);
        throw error;
      },
    );
    reading.set(sample, read);
  }
  return reading.get(sample);
}
