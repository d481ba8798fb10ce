//! Where the wasm's bytes go: the code size of each function, from the name section of cargo's
//! own (not yet wasm-opt'ed) output, summed by the crate that defined it. Rust mangles names
//! as `_ZN<len><crate>...`; generic code is counted under the crate that defines the generic.

use std::collections::BTreeMap;

/// Code bytes by crate, largest first, and the total code size.
pub fn code_by_crate(wasm: &[u8]) -> Result<(Vec<(String, u64)>, u64), String> {
    let module = parse(wasm)?;
    let mut by_crate: BTreeMap<String, u64> = BTreeMap::new();
    for (i, size) in module.code_sizes.iter().enumerate() {
        let index = module.imported_functions + i as u32;
        let name = module.names.get(&index).map(String::as_str).unwrap_or("");
        *by_crate.entry(crate_of(name)).or_default() += *size;
    }
    let total = module.code_sizes.iter().sum();
    let mut list: Vec<(String, u64)> = by_crate.into_iter().collect();
    list.sort_by_key(|(_, bytes)| std::cmp::Reverse(*bytes));
    Ok((list, total))
}

struct Module {
    imported_functions: u32,
    code_sizes: Vec<u64>,
    names: BTreeMap<u32, String>,
}

fn parse(wasm: &[u8]) -> Result<Module, String> {
    if wasm.get(..4) != Some(b"\0asm") {
        return Err("not a wasm module".into());
    }
    let mut module = Module {
        imported_functions: 0,
        code_sizes: Vec::new(),
        names: BTreeMap::new(),
    };
    let mut r = Reader { bytes: wasm, at: 8 };
    while r.at < wasm.len() {
        let id = r.byte()?;
        let size = r.leb()? as usize;
        let end = r.at + size;
        let mut s = Reader {
            bytes: &wasm[..end.min(wasm.len())],
            at: r.at,
        };
        match id {
            2 => module.imported_functions = imported_functions(&mut s)?,
            10 => {
                for _ in 0..s.leb()? {
                    let len = s.leb()?;
                    module.code_sizes.push(len);
                    s.at += len as usize;
                }
            }
            0 if s.name()? == "name" => function_names(&mut s, end, &mut module.names)?,
            _ => {}
        }
        r.at = end;
    }
    Ok(module)
}

fn imported_functions(s: &mut Reader) -> Result<u32, String> {
    let mut functions = 0;
    for _ in 0..s.leb()? {
        s.name()?;
        s.name()?;
        match s.byte()? {
            0 => {
                s.leb()?;
                functions += 1;
            }
            1 => {
                s.byte()?;
                limits(s)?;
            }
            2 => limits(s)?,
            _ => s.at += 2,
        }
    }
    Ok(functions)
}

fn limits(s: &mut Reader) -> Result<(), String> {
    let flags = s.byte()?;
    s.leb()?;
    if flags & 1 == 1 {
        s.leb()?;
    }
    Ok(())
}

fn function_names(
    s: &mut Reader,
    end: usize,
    names: &mut BTreeMap<u32, String>,
) -> Result<(), String> {
    while s.at < end {
        let kind = s.byte()?;
        let size = s.leb()? as usize;
        let next = s.at + size;
        if kind == 1 {
            for _ in 0..s.leb()? {
                let index = s.leb()? as u32;
                names.insert(index, s.name()?);
            }
        }
        s.at = next;
    }
    Ok(())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.bytes.get(self.at).ok_or("truncated wasm")?;
        self.at += 1;
        Ok(b)
    }

    fn leb(&mut self) -> Result<u64, String> {
        let (mut value, mut shift) = (0u64, 0);
        loop {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(value);
            }
            shift += 7;
            if shift > 63 {
                return Err("bad LEB128".into());
            }
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let len = self.leb()? as usize;
        let bytes = self
            .bytes
            .get(self.at..self.at + len)
            .ok_or("truncated name")?;
        self.at += len;
        Ok(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// The crate in a mangled name: `_ZN6tachys4view...` → `tachys`; for a trait impl
/// (`_ZN<n>_$LT$T$u20$as$u20$tachys..view..`) the trait's crate; wasm-bindgen's describe shims,
/// which wasm-bindgen removes, as `(wasm-bindgen describe)`.
fn crate_of(name: &str) -> String {
    if name.starts_with("__wbindgen_describe") {
        return "(wasm-bindgen describe, removed later)".into();
    }
    let Some(rest) = name.strip_prefix("_ZN") else {
        return "(other)".into();
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let Ok(len) = digits.parse::<usize>() else {
        return "(other)".into();
    };
    let segment = rest.get(digits.len()..digits.len() + len).unwrap_or("");
    if let Some(generic) = segment.strip_prefix("_$LT$") {
        let readable = generic.replace("$u20$", " ").replace("..", "::");
        let after = readable
            .split(" as ")
            .nth(1)
            .or_else(|| readable.strip_prefix("impl "))
            .unwrap_or(&readable);
        return after.split("::").next().unwrap_or("(other)").to_string();
    }
    segment.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_come_from_mangled_paths_and_trait_impls() {
        assert_eq!(
            crate_of("_ZN6tachys4view4mount17h0123456789abcdefE"),
            "tachys"
        );
        assert_eq!(
            crate_of("_ZN53_$LT$T$u20$as$u20$tachys..view..any_view..IntoAny$GT$8into_any17hE"),
            "tachys"
        );
        assert_eq!(
            crate_of("__wbindgen_describe___wbg_new"),
            "(wasm-bindgen describe, removed later)"
        );
        assert_eq!(crate_of("dlmalloc"), "(other)");
    }

    #[test]
    fn a_tiny_module_is_read_section_by_section() {
        // One imported function, two code bodies (3 and 5 bytes), names for both.
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        let import = [1u8, 1, b'm', 1, b'f', 0, 0];
        wasm.extend([2, import.len() as u8]);
        wasm.extend(import);
        let code = [2u8, 3, 0, 0, 0x0b, 5, 0, 0, 0, 0, 0x0b];
        wasm.extend([10, code.len() as u8]);
        wasm.extend(code);
        let a = b"_ZN1a1f17hE";
        let b = b"_ZN1b1g17hE";
        let mut map = vec![2u8, 1, a.len() as u8];
        map.extend(a);
        map.extend([2, b.len() as u8]);
        map.extend(b);
        let mut name = vec![4u8];
        name.extend(b"name");
        name.extend([1, map.len() as u8]);
        name.extend(&map);
        wasm.extend([0, name.len() as u8]);
        wasm.extend(name);
        let (by_crate, total) = code_by_crate(&wasm).unwrap();
        assert_eq!(total, 3 + 5);
        assert_eq!(by_crate, vec![("b".to_string(), 5), ("a".to_string(), 3)]);
    }
}
