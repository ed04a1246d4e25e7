// Switchboard's only script: small conveniences on top of pages that work without it. It is
// served from /app.js (the CSP allows scripts from 'self' only, never inline) and never
// needed: every form still submits, every time is still written by the server.

// Filter selects marked `data-autosubmit` apply themselves when changed; Apply stays for
// the search field and for keyboard users who prefer to choose first and submit once.
for (const select of document.querySelectorAll('select[data-autosubmit]')) {
  select.addEventListener('change', () => select.form?.requestSubmit());
}

// Relative times ("2 hours ago") keep ticking. `data-relative` holds the server's clock when
// the page was rendered, so a browser clock that is off doesn't change what is shown.
const times = [...document.querySelectorAll('time[data-relative]')];
if (times.length > 0) {
  const offset = Number(times[0].dataset.relative) * 1000 - Date.now();
  // The same wording as src/app/format.rs → time_ago.
  const ago = (seconds) => {
    const steps = [
      [60, 1, null],
      [3600, 60, 'minute'],
      [86400, 3600, 'hour'],
      [30 * 86400, 86400, 'day'],
      [365 * 86400, 30 * 86400, 'month'],
      [Infinity, 365 * 86400, 'year'],
    ];
    const [, size, unit] = steps.find(([limit]) => seconds < limit);
    if (!unit) return 'just now';
    const n = Math.floor(seconds / size);
    return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  };
  const tick = () => {
    const now = Date.now() + offset;
    for (const time of times) {
      const at = Date.parse(time.dateTime);
      if (!Number.isNaN(at)) time.textContent = ago(Math.max(0, Math.floor((now - at) / 1000)));
    }
  };
  setInterval(tick, 30_000);
}

// Your account: offer the browser's own time zone when it differs from the saved one. It only
// selects it; Save time zone still saves.
const zoneSelect = document.querySelector('select[data-browser-zone]');
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (
  zoneSelect &&
  browserZone &&
  zoneSelect.value !== browserZone &&
  [...zoneSelect.options].some((option) => option.value === browserZone)
) {
  const offer = document.createElement('p');
  offer.className = 'browser-zone';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.textContent = `Use this browser's time zone (${browserZone})`;
  button.addEventListener('click', () => {
    zoneSelect.value = browserZone;
    offer.textContent = `${browserZone} selected: press Save time zone to keep it.`;
    zoneSelect.focus();
  });
  offer.append(button);
  zoneSelect.closest('form')?.insertBefore(offer, zoneSelect.closest('label')?.nextSibling ?? null);
}
