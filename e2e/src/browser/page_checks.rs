//! What a page looks like to a phone, a dark scheme and axe-core: the emulation and the
//! measurements the layout tests make.

use super::{ok, Browser};
use serde_json::{json, Value};

impl Browser {
    /// Shows pages as a phone of `width` CSS pixels would (touch, mobile viewport), or as the
    /// 1280 px desktop again with `None`.
    pub fn viewport(&self, width: Option<u32>) {
        let cdp = |cmd: &str, params: Value| ok(self.session.cdp(cmd, params), cmd);
        match width {
            Some(width) => {
                cdp(
                    "Emulation.setDeviceMetricsOverride",
                    json!({
                        "width": width, "height": 780, "deviceScaleFactor": 2, "mobile": true,
                    }),
                );
                cdp(
                    "Emulation.setTouchEmulationEnabled",
                    json!({ "enabled": true }),
                );
            }
            None => {
                cdp("Emulation.clearDeviceMetricsOverride", json!({}));
                cdp(
                    "Emulation.setTouchEmulationEnabled",
                    json!({ "enabled": false }),
                );
            }
        }
    }

    /// `prefers-color-scheme: dark` (or light) for every page from now on.
    pub fn color_scheme(&self, dark: bool) {
        let scheme = if dark { "dark" } else { "light" };
        ok(
            self.session.cdp(
                "Emulation.setEmulatedMedia",
                json!({
                    "features": [{ "name": "prefers-color-scheme", "value": scheme }],
                }),
            ),
            "emulate the color scheme",
        );
    }

    /// How much wider than the viewport the page is (0: no sideways scrolling).
    pub fn overflow_x(&self) -> i64 {
        self.exec(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .as_i64()
        .unwrap_or(i64::MAX)
    }

    /// What makes a page scroll sideways: from `<body>` down, the element whose box or
    /// overflow reaches furthest right, at each level ("div.card.access-envs→1320").
    pub fn too_wide(&self) -> Vec<String> {
        let found = self.exec(
            "const out = []; let e = document.body;
             const reach = x => Math.max(x.getBoundingClientRect().right,
               x.getBoundingClientRect().left + x.scrollWidth);
             while (e && out.length < 12) {
               out.push(e.tagName.toLowerCase()
                 + (e.className ? '.' + String(e.className).trim().split(/ +/).join('.') : '')
                 + '→' + Math.round(reach(e)));
               let next = null;
               for (const c of e.children) { if (!next || reach(c) > reach(next)) next = c; }
               e = next;
             }
             return out;",
            vec![],
        );
        found
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// axe-core's critical, serious and moderate violations on the page as it is, one line each
    /// ("rule: target …"). axe comes from the workspace's npm lock (`node_modules/axe-core`).
    pub fn axe_violations(&self) -> Vec<String> {
        let loaded = self.exec("return typeof axe !== 'undefined';", vec![]);
        if loaded != Value::Bool(true) {
            let path = crate::workspace_root().join("node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e}; `cargo xtask test install` installs it",
                    path.display()
                )
            });
            self.exec(&format!("{source}\nreturn true;"), vec![]);
        }
        let found = ok(
            self.session.execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(
                   r.violations
                     .filter(v => v.impact !== 'minor')
                     .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))
                 ), e => done(['axe failed: ' + e]));",
                vec![],
            ),
            "run axe-core",
        );
        found
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| v.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}
