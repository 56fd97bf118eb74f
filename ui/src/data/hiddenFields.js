// Report fields no view shows as text, each with the reason. The leaf coverage test
// (tests/browser/coverage.test.js) checks that every other leaf of a report appears in some view.
// A path names object keys joined by `.`, `[]` standing for any array index; a field listed here
// covers everything under it.
export const HIDDEN_FIELDS = [
  { path: 'entropy_profile', reason: 'drawn as the File map entropy curve; thousands of points are no text to read' },
  { path: 'byte_histogram', reason: 'drawn as the File map byte heat map (256 counts)' },
  { path: 'byte_entropy_histogram', reason: 'drawn as the File map heat map; it is the models input, not a fact to read' },
  { path: 'predictions[].explanation', reason: 'drawn as the File map explanation regions (offset, length, weight per region)' },
];

/** The entry hiding `path` (e.g. `pe.sections[].md5`), or `null`. */
export function hiddenEntry(path) {
  return HIDDEN_FIELDS.find((f) => path === f.path || path.startsWith(`${f.path}.`) || path.startsWith(`${f.path}[]`)) ?? null;
}
