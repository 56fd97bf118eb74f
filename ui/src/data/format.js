// Small formatting helpers shared by every view. Pure functions.

/** Bytes as a short human size: 1536 -> "1.5 KiB". */
export function formatBytes(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** A number as 0x-prefixed hex, zero-padded to `width` digits. */
export function hex(value, width = 0) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return '—';
  return `0x${Number(value).toString(16).padStart(width, '0')}`;
}

/** Unix seconds as `YYYY-MM-DD HH:MM` in local time. */
export function formatDate(unixSeconds) {
  if (!Number.isFinite(unixSeconds) || unixSeconds <= 0) return '—';
  const d = new Date(unixSeconds * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A fraction 0..1 as a percentage with one decimal; `—` when absent. */
export function percent(fraction) {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : '—';
}

/** The first `n` characters of a hash followed by an ellipsis. */
export function shortHash(hash, n = 12) {
  if (!hash) return '—';
  return hash.length > n ? `${hash.slice(0, n)}…` : hash;
}

/** The last component of a path (either separator). */
export function baseName(path) {
  if (!path) return '';
  const parts = String(path).split(/[\\/]/);
  return parts[parts.length - 1] || String(path);
}

/** Escapes text for HTML documents built as strings (the export). */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
