// Date presets and row formatting for the Insights view (pure functions: `node --test`).
// Dates are "YYYY-MM-DD" strings; arithmetic happens in UTC so this computer's zone and its
// DST changes can never shift a day.

export const PRESETS = [
  { id: "last7", label: "Last 7 days" },
  { id: "last30", label: "Last 30 days" },
  { id: "last90", label: "Last 90 days" },
  { id: "thisMonth", label: "This month" },
  { id: "lastMonth", label: "Last month" },
  { id: "thisYear", label: "This year" },
  { id: "custom", label: "Custom" },
];

const parse = (date) => {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
};
const format = (d) => d.toISOString().slice(0, 10);

export function addDays(date, days) {
  const d = parse(date);
  d.setUTCDate(d.getUTCDate() + days);
  return format(d);
}

/** This computer's date as "YYYY-MM-DD". */
export function localToday(now = new Date()) {
  return format(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
}

/**
 * From the start of a period to yesterday; on its first day (nothing published yet) just that
 * day, never a range that ends before it starts.
 */
const sinceStart = (from, yesterday) => ({ from, to: yesterday < from ? from : yesterday });

/**
 * {from, to} of a preset, both included. Insights are published nightly, so ranges end
 * yesterday; "this month" and "this year" start on the 1st.
 */
export function presetRange(id, today) {
  const yesterday = addDays(today, -1);
  const t = parse(today);
  const first = (y, m) => format(new Date(Date.UTC(y, m, 1)));
  switch (id) {
    case "last7": return { from: addDays(today, -7), to: yesterday };
    case "last30": return { from: addDays(today, -30), to: yesterday };
    case "last90": return { from: addDays(today, -90), to: yesterday };
    case "thisMonth": return sinceStart(first(t.getUTCFullYear(), t.getUTCMonth()), yesterday);
    case "lastMonth": return {
      from: first(t.getUTCFullYear(), t.getUTCMonth() - 1),
      to: addDays(first(t.getUTCFullYear(), t.getUTCMonth()), -1),
    };
    case "thisYear": return sinceStart(first(t.getUTCFullYear(), 0), yesterday);
    default: return null;
  }
}

/** A metric value for the table: up to two decimals, empty for a missing value. */
export function metricText(value) {
  if (value === null || value === undefined) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** "1,234" in any locale the tests run under. */
export function count(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * What is wrong with a range before anything is sent, as {field, message} ("from" or "to":
 * the date field to mark), or null. `today` is the calendar's today ("YYYY-MM-DD"): a range
 * that starts after it lies wholly in the future, where nothing is published yet.
 */
export function rangeProblem(from, to, today) {
  if (!from) return { field: "from", message: "Choose a start date (From)." };
  if (!to) return { field: "to", message: "Choose an end date (To)." };
  if (from > to) {
    return { field: "from", message: `From (${from}) is after To (${to}). Swap them or choose another range.` };
  }
  if (today && from > today) {
    return {
      field: "from",
      message: `This range lies wholly in the future (today is ${today}). Insights are published nightly: the latest day with data is ${addDays(today, -1)}.`,
    };
  }
  return null;
}

/** Decimals a value needs to be shown exactly, up to `max`. */
function decimalsOf(value, max) {
  for (let d = 0; d < max; d += 1) {
    if (Math.abs(value * 10 ** d - Math.round(value * 10 ** d)) < 1e-9) return d;
  }
  return max;
}

/**
 * How one table column shows its numbers: every value with the same decimals, so a column
 * never mixes "0", "1.61" and "5". Means and percentages always have two; other columns
 * (peaks, counts, capacities) as many as their values on this page need, at most two.
 * Returns a function from a value to its text ("" when missing).
 */
export function columnFormat(name, values) {
  const finite = values.filter((v) => typeof v === "number" && Number.isFinite(v));
  const words = String(name ?? "").toLowerCase();
  const decimals = /mean|percent/.test(words) ? 2 : Math.max(0, ...finite.map((v) => decimalsOf(v, 2)));
  return (v) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(decimals) : "");
}
