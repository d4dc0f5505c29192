// Presenting mode of group supervision: the arrow keys follow the page's previous and next
// links, Escape its link back to the agenda. The links work without this.
const targets = {
  ArrowRight: 'a[rel="next"]',
  PageDown: 'a[rel="next"]',
  ArrowLeft: 'a[rel="prev"]',
  PageUp: 'a[rel="prev"]',
  Escape: "a[data-present-exit]",
};

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const typing = event.target.closest("input, textarea, select, [contenteditable]");
  const selector = targets[event.key];
  if (typing || !selector) return;
  const link = document.querySelector(selector);
  if (link) {
    event.preventDefault();
    window.location.assign(link.href);
  }
});
