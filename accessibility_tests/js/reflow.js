// List horizontal scrolling and clipped content at the current viewport width.
() => {
  const { shown, visuallyHidden, describe } = window.__a11y;
  const root = document.documentElement;
  const width = root.clientWidth;
  const problems = [];
  const past = new Set();
  const clips = (style, axis) => ["hidden", "clip"].includes(style[`overflow${axis}`]);
  for (const el of document.body.querySelectorAll("*")) {
    if (!shown(el) || visuallyHidden(el) || el.closest("[aria-hidden=true]")) continue;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (rect.right > width + 1 && !past.has(el.parentElement)) {
      problems.push({ element: describe(el), problem: `extends to x=${Math.round(rect.right)} past the ${width}px viewport` });
    }
    if (rect.right > width + 1) past.add(el);
    if (el.matches("input, select, textarea")) continue; // their own scrolling is expected
    const cutX = clips(style, "X") && el.scrollWidth > el.clientWidth + 1;
    const cutY = clips(style, "Y") && el.scrollHeight > el.clientHeight + 1;
    if (cutX || cutY) {
      problems.push({
        element: describe(el),
        problem: `content clipped by overflow: ${style.overflowX}/${style.overflowY} (content ${el.scrollWidth}x${el.scrollHeight}, box ${el.clientWidth}x${el.clientHeight})`,
      });
    }
  }
  return { width, scrollWidth: root.scrollWidth, bodyScrollWidth: document.body.scrollWidth, problems };
}
