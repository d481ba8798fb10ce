// Starts Portlight from an external file (the CSP forbids inline scripts). Trunk writes the
// hashed file names into the data attributes of this script's tag.
const tag = document.querySelector('script[data-wasm]');
const boot = document.getElementById('boot');
try {
  const bindings = await import(tag.dataset.js);
  await bindings['default']({ module_or_path: tag.dataset.wasm });
} catch (err) {
  // Never a blank page: say what failed and how to fix it.
  if (boot) {
    boot.className = 'boot boot-failed';
    boot.textContent = 'Portlight could not start: ' + err +
      '. Check that the server sends .wasm files as application/wasm and that this browser supports WebAssembly.';
  }
  throw err;
}

// Keep the app's own files for the next visit (sw.js says what it keeps, and what it never
// does). Where a service worker cannot run (plain http other than localhost), nothing changes.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).catch(() => {});
}
