// What an export action says while it runs and when it ends, in its status line.

/**
 * Shows `busy` in `status`, awaits `work()` (which gives `{text, ok}`), then shows its text, or
 * the error's message when it throws; `done()` runs in every case (the caller re-enables its
 * buttons there).
 */
export async function runWithStatus(status, work, done, busy = 'Exporting…') {
  status.textContent = busy;
  status.className = 'status-line';
  try {
    const { text, ok } = await work();
    status.textContent = text;
    status.className = `status-line ${ok ? 'ok' : 'error'}`;
  } catch (error) {
    status.textContent = error.message;
    status.className = 'status-line error';
  } finally {
    done();
  }
}
