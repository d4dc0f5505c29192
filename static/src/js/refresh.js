// A page with [data-auto-refresh="N"] (a report being built) reloads itself every N seconds
// until it is done. Without JavaScript the page's own "Refresh this page" link does the same.
const holder = document.querySelector("[data-auto-refresh]");
if (holder) {
  const seconds = Number(holder.dataset.autoRefresh) || 5;
  window.setTimeout(() => window.location.reload(), seconds * 1000);
}
