// Collect, in one pass, what the structural checks need to know about the page.
() => {
  const { squash, shown, describe, tabbable } = window.__a11y;
  const main = document.querySelector("main");
  const focusables = tabbable();
  const first = focusables[0];
  const byIdText = (ids) =>
    squash(
      (ids || "")
        .split(/\s+/)
        .map((id) => document.getElementById(id))
        .filter(Boolean)
        .map((el) => el.textContent)
        .join(" "),
    );
  const region = (el) => {
    const landmark = el.closest("header, nav, footer, aside, [role=banner], [role=navigation], [role=contentinfo]");
    return landmark ? landmark.tagName.toLowerCase() : "body";
  };
  const summary = document.querySelector(".error-summary");
  const active = document.activeElement;
  const controls = [...document.querySelectorAll("input:not([type=hidden]), select, textarea")].map((el) => {
    const fieldset = el.closest("fieldset");
    return {
      name: el.name,
      id: el.id,
      element: describe(el),
      invalid: el.getAttribute("aria-invalid") === "true",
      message: byIdText(el.getAttribute("aria-describedby")),
      groupInvalid: !!fieldset && fieldset.getAttribute("aria-invalid") === "true",
      groupMessage: fieldset ? byIdText(fieldset.getAttribute("aria-describedby")) : "",
    };
  });
  const textRuns = [];
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const text = squash(node.textContent);
    if (!text || !parent || parent.closest("script, style, template, noscript, textarea")) continue;
    const owner = parent.closest("[lang]");
    textRuns.push({ text: text.slice(0, 200), lang: owner ? owner.getAttribute("lang") : "", element: describe(parent) });
  }
  const backgroundImages = [...document.querySelectorAll("body *")].filter(
    (el) => shown(el) && /url\(/.test(getComputedStyle(el).backgroundImage),
  );
  const refresh = document.querySelector('meta[http-equiv="refresh" i]');
  return {
    title: document.title,
    lang: document.documentElement.getAttribute("lang"),
    first: first ? { element: describe(first), href: first.getAttribute("href") } : null,
    main: main ? { id: main.id, tabindex: main.getAttribute("tabindex") } : null,
    navigation: focusables
      .filter((el) => !main || !main.contains(el))
      .filter((el) => el !== first)
      .map((el) => ({ region: region(el), text: squash(el.innerText || el.getAttribute("aria-label") || el.value) })),
    summary: summary
      ? {
          element: describe(summary),
          role: summary.getAttribute("role"),
          live: summary.getAttribute("aria-live"),
          focused: summary === active || summary.contains(active),
          links: [...summary.querySelectorAll("a[href]")].map((a) => ({
            href: a.getAttribute("href"),
            text: squash(a.textContent),
          })),
        }
      : null,
    controls,
    textRuns,
    images: [
      ...[...document.querySelectorAll('img, svg, picture, canvas, input[type="image"], [role="img"]')].map(describe),
      ...backgroundImages.map((el) => `${describe(el)} (CSS background-image)`),
    ],
    media: [...document.querySelectorAll("video, audio, object, embed, iframe")].map(describe),
    audio: [...document.querySelectorAll("audio[autoplay], video[autoplay]:not([muted])")].map(describe),
    animations: document.getAnimations().map((animation) => describe(animation.effect && animation.effect.target)),
    blinking: [...document.querySelectorAll("marquee, blink")].map(describe),
    links: main ? [...main.querySelectorAll("a[href]")].map((a) => ({ href: a.getAttribute("href"), text: squash(a.textContent) })) : [],
    refresh: refresh ? refresh.getAttribute("content") : null,
    extend: [...document.querySelectorAll('form[action*="extend"] [type=submit]')].map(describe),
  };
}
