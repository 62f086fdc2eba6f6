//! A pack: the runbooks of a team, from a folder of markdown pages (read recursively) or from
//! a pack file made by `runbook-lens pack`, with the index that keeps matching fast. Every pack
//! has one form, the compact version 4 (`compact.rs`): each page's meta always loaded, the
//! index looked up in place, each page's body decoded on first use and kept.

use std::cell::OnceCell;
use std::fmt;
use std::sync::Arc;

#[cfg(feature = "json-packs")]
use serde::Deserialize;

use crate::matching::Index;
#[cfg(feature = "markdown")]
use crate::runbook::parse_runbook;
use crate::runbook::Runbook;

pub use check::{MAX_PACK_BYTES, MAX_RUNBOOKS, MAX_SECTIONS};
pub use compact::{PageMeta, MAGIC};

pub mod bytes;
mod check;
mod compact;
#[cfg(feature = "json-packs")]
mod convert;
pub mod page_codec;
#[cfg(test)]
mod sample;
#[cfg(all(test, feature = "json-packs"))]
mod tests;
#[cfg(feature = "json-packs")]
mod wire;

/// The `format` value of a serialised pack.
pub const PACK_FORMAT: &str = "runbook-lens-pack";
/// The version of the pack form this build writes: 4, the compact form (`compact.rs`). The
/// JSON form (`src/pack/wire.rs`, read with feature `json-packs`) stays at version 3, whose
/// shape `src/pack/wire_shape.txt` pins.
pub const PACK_VERSION: u32 = 4;
/// The last version of the JSON form, which `to_json` writes and `from_json` reads up to.
pub const JSON_PACK_VERSION: u32 = 3;
/// The oldest version this build still reads. Version 2 added front matter `extract` rules and
/// version 3 `chosen_for` alert names; an older pack is a newer one without them.
pub const OLDEST_PACK_VERSION: u32 = 1;

/// A set of runbooks and their matching index: the meta of every page, the index, and each
/// page's body, decoded when first asked for. Several pack files make one pack (`merge`), in
/// parts that keep their own bytes.
#[derive(Debug, Clone)]
pub struct Pack {
    pub name: String,
    pub index: Index,
    metas: Vec<PageMeta>,
    /// Each page's body once decoded: `None` when its bytes are damaged.
    bodies: Vec<OnceCell<Option<Runbook>>>,
    parts: Vec<Part>,
}

/// The pages of one pack file within a pack: from page `first`, `len` of them.
#[derive(Debug, Clone)]
struct Part {
    first: usize,
    len: usize,
    name: String,
    pages: compact::PageTable,
}

/// The header of a pack file, read alone to explain why a file does not load.
#[cfg(feature = "json-packs")]
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    format: String,
    #[serde(default)]
    version: u64,
}

/// Why a pack could not be loaded.
#[derive(Debug)]
pub enum PackError {
    /// The folder or file could not be read.
    Io { path: String, error: std::io::Error },
    /// The file is not a pack file this build understands.
    Format { path: String, message: String },
    /// A JSON pack (versions 1 to 3) where only version 4 is read (the panel): the options
    /// page and the background convert stored ones.
    OldFormat { path: String },
    /// The folder holds no markdown pages.
    Empty { path: String },
    /// A page of the pack file is broken or out of bounds: `message` names the field.
    Invalid {
        path: String,
        page: String,
        message: String,
    },
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackError::Io { path, error } => write!(f, "{path}: cannot read: {error}"),
            PackError::Format { path, message } => write!(f, "{path}: not a runbook pack: {message}; make one with `runbook-lens pack <folder> -o <file>`"),
            PackError::OldFormat { path } => write!(f, "{path}: stored in an older format; open the settings page to convert it"),
            PackError::Empty { path } => write!(f, "{path}: no markdown (.md) pages found; point at the folder that holds the runbook pages"),
            PackError::Invalid { path, page, message } => write!(f, "{path}: page `{page}`: {message}; make the pack again from its pages with `runbook-lens pack <folder> -o <file>`"),
        }
    }
}

impl std::error::Error for PackError {}

impl Pack {
    /// Builds a pack from (relative path, page text) pairs.
    #[cfg(feature = "markdown")]
    pub fn from_pages<'a>(name: &str, pages: impl IntoIterator<Item = (&'a str, &'a str)>) -> Pack {
        let runbooks = pages
            .into_iter()
            .map(|(path, text)| parse_runbook(path, text))
            .collect();
        Pack::from_runbooks(name, runbooks)
    }

    /// Builds a pack from parsed runbooks: written in the compact form and read back, so a
    /// pack from markdown is the same as one from a file; the bodies are already at hand.
    pub fn from_runbooks(name: &str, mut runbooks: Vec<Runbook>) -> Pack {
        crate::text::sort_stable_by(&mut runbooks, |a, b| a.file.cmp(&b.file));
        let bytes = Arc::new(compact::encode(name, &runbooks));
        let mut pack = match compact::decode(bytes, false) {
            Ok(d) => Pack::of(d),
            // What this crate writes reads back; should it ever not, the pack is empty
            // rather than wrong.
            Err(_) => Pack::merge(name, Vec::new()),
        };
        for (cell, rb) in pack.bodies.iter_mut().zip(runbooks) {
            *cell = OnceCell::from(Some(rb));
        }
        pack
    }

    fn of(d: compact::Decoded) -> Pack {
        let len = d.metas.len();
        Pack {
            name: d.name.clone(),
            index: d.index,
            bodies: vec![OnceCell::new(); len],
            metas: d.metas,
            parts: vec![Part {
                first: 0,
                len,
                name: d.name,
                pages: d.pages,
            }],
        }
    }

    /// One pack of the pages of `packs`, one after the other, without re-reading or
    /// re-indexing any: rarity and average length then count every page.
    pub fn merge(name: &str, packs: Vec<Pack>) -> Pack {
        let mut out = Pack {
            name: name.to_string(),
            index: Index::default(),
            metas: Vec::new(),
            bodies: Vec::new(),
            parts: Vec::new(),
        };
        let mut indexes = Vec::new();
        for p in packs {
            let base = out.metas.len();
            out.parts.extend(p.parts.into_iter().map(|mut part| {
                part.first += base;
                part
            }));
            out.metas.extend(p.metas);
            out.bodies.extend(p.bodies);
            indexes.push(p.index);
        }
        out.index = Index::merge(indexes);
        out
    }

    /// The number of pages.
    pub fn len(&self) -> usize {
        self.metas.len()
    }

    /// True when the pack has no pages.
    pub fn is_empty(&self) -> bool {
        self.metas.is_empty()
    }

    /// What the pack keeps of page `doc` at all times. Panics when `doc` is out of range, as
    /// indexing does: every `doc` comes from this pack's index or `position`.
    pub fn meta(&self, doc: usize) -> &PageMeta {
        &self.metas[doc]
    }

    /// The meta of every page, in page order.
    pub fn metas(&self) -> &[PageMeta] {
        &self.metas
    }

    /// The whole page `doc`, decoded on first use; `None` when its bytes are damaged (the
    /// caller says so), or `doc` is out of range.
    pub fn page(&self, doc: usize) -> Option<&Runbook> {
        let cell = self.bodies.get(doc)?;
        cell.get_or_init(|| {
            let part = self
                .parts
                .iter()
                .find(|p| doc >= p.first && doc < p.first + p.len)?;
            part.pages.page(doc - part.first, &self.metas[doc])
        })
        .as_ref()
    }

    /// Every page decoded (a damaged one left out): for tools that read whole pages (`lint`,
    /// `pack`, tests), never on the panel's path.
    pub fn runbooks(&self) -> Vec<Runbook> {
        (0..self.len())
            .filter_map(|doc| self.page(doc).cloned())
            .collect()
    }

    /// The index of the page at `file`: each pack file keeps its pages sorted by file, so a
    /// binary search in each (the first pack that has it wins).
    pub fn position(&self, file: &str) -> Option<usize> {
        self.parts.iter().find_map(|p| {
            self.metas[p.first..p.first + p.len]
                .binary_search_by(|m| m.file.as_str().cmp(file))
                .ok()
                .map(|i| p.first + i)
        })
    }

    /// The raw version 4 form (`runbook-lens pack` writes it gzipped). A pack read from one
    /// file under its own name gives back that file's bytes; any other is written anew from
    /// its pages (a damaged page left out).
    pub fn to_bytes(&self) -> Vec<u8> {
        if let [part] = self.parts.as_slice() {
            if part.name == self.name && part.len == self.metas.len() {
                return part.pages.bytes.to_vec();
            }
        }
        let runbooks: Vec<Runbook> = (0..self.len())
            .filter_map(|doc| self.page(doc).cloned())
            .collect();
        let mut runbooks = runbooks;
        crate::text::sort_stable_by(&mut runbooks, |a, b| a.file.cmp(&b.file));
        compact::encode(&self.name, &runbooks)
    }

    /// Reads a pack file: raw version 4, or (with feature `json-packs`) the JSON of versions
    /// 1 to 3, told apart by the first byte that is not a space (`{`). Natively a gzipped file
    /// (magic `1f 8b`) is un-gzipped first. `path` only names the source in errors.
    pub fn from_bytes(path: &str, bytes: &[u8]) -> Result<Pack, PackError> {
        Pack::from_vec(path, bytes.to_vec())
    }

    /// [`Pack::from_bytes`] of bytes the pack may keep: a version 4 pack is read in place,
    /// without a second copy of its bytes (a panel holds each pack once).
    pub fn from_vec(path: &str, bytes: Vec<u8>) -> Result<Pack, PackError> {
        let format_error = |message: String| PackError::Format {
            path: path.into(),
            message,
        };
        #[cfg(not(target_arch = "wasm32"))]
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let raw = gunzip(&bytes).map_err(format_error)?;
            return Pack::from_vec(path, raw);
        }
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
            #[cfg(feature = "json-packs")]
            {
                let text = std::str::from_utf8(&bytes)
                    .map_err(|e| format_error(format!("it is not UTF-8 text: {e}")))?;
                return Pack::from_json(path, text);
            }
            #[cfg(not(feature = "json-packs"))]
            return Err(PackError::OldFormat { path: path.into() });
        }
        check::pack_counts(bytes.len(), 0, 0).map_err(format_error)?;
        if !bytes.starts_with(MAGIC) {
            return Err(format_error(
                "it does not start with `RLPK` (nor `{`, a JSON pack)".into(),
            ));
        }
        compact::decode(Arc::new(bytes), true)
            .map(Pack::of)
            .map_err(|e| match e.page {
                Some(page) => PackError::Invalid {
                    path: path.into(),
                    page,
                    message: e.message,
                },
                None => format_error(e.message),
            })
    }

    /// The JSON form of version 3, as `runbook-lens pack --json` writes it.
    #[cfg(feature = "json-packs")]
    pub fn to_json(&self) -> String {
        let runbooks: Vec<wire::Runbook> = (0..self.len())
            .filter_map(|doc| self.page(doc).map(wire::Runbook::from))
            .collect();
        let file = wire::PackFile {
            format: PACK_FORMAT.into(),
            version: JSON_PACK_VERSION,
            name: self.name.clone(),
            runbooks,
        };
        serde_json::to_string(&file).unwrap_or_default()
    }

    /// Reads a JSON pack (versions 1 to 3) and checks every page of it (`check.rs`): what
    /// loads is safe to index by. `path` only names the source in errors.
    #[cfg(feature = "json-packs")]
    pub fn from_json(path: &str, json: &str) -> Result<Pack, PackError> {
        let format_error = |message: String| PackError::Format {
            path: path.into(),
            message,
        };
        // The size first, before any of it is read (no pages yet: only the bytes count).
        check::pack_size(json.len(), &[]).map_err(format_error)?;
        // One typed parse on the common path; the header alone is read only to explain a
        // failure (another format or version reads better than a missing-field error).
        let parsed: Result<wire::PackFile, _> = serde_json::from_str(json);
        let head: Option<Head> = match &parsed {
            Ok(file) => Some(Head {
                format: file.format.clone(),
                version: u64::from(file.version),
            }),
            Err(_) => serde_json::from_str(json).ok(),
        };
        match head {
            None => {}
            Some(h) if h.format.is_empty() => return Err(format_error(format!("it has no `format` field (a pack file says `\"format\": \"{PACK_FORMAT}\"`)"))),
            Some(h) if h.format != PACK_FORMAT => return Err(format_error(format!("`format` is `{}`, expected `{PACK_FORMAT}`", h.format))),
            Some(h)
                if h.version < u64::from(OLDEST_PACK_VERSION)
                    || h.version > u64::from(JSON_PACK_VERSION) =>
            {
                return Err(format_error(format!("pack version {}; this build reads JSON packs of versions {OLDEST_PACK_VERSION} to {JSON_PACK_VERSION} (re-run `runbook-lens pack`)", h.version)))
            }
            Some(_) => {}
        }
        let file = parsed.map_err(|e| read_error(path, json, &e))?;
        let runbooks: Vec<Runbook> = file.runbooks.into_iter().map(Runbook::from).collect();
        check::pack_size(json.len(), &runbooks).map_err(format_error)?;
        for rb in &runbooks {
            check::runbook(rb).map_err(|message| PackError::Invalid {
                path: path.into(),
                page: rb.file.clone(),
                message,
            })?;
        }
        Ok(Pack::from_runbooks(&file.name, runbooks))
    }

    /// Loads a folder of pages (recursively) or a pack file.
    #[cfg(all(feature = "markdown", not(target_arch = "wasm32")))]
    pub fn load(path: &std::path::Path) -> Result<Pack, PackError> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|error| PackError::Io {
            path: shown.clone(),
            error,
        })?;
        if meta.is_dir() {
            let pages = read_folder(path)?;
            if pages.is_empty() {
                return Err(PackError::Empty { path: shown });
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| shown.clone());
            Ok(Pack::from_pages(
                &name,
                pages.iter().map(|(p, t)| (p.as_str(), t.as_str())),
            ))
        } else {
            let bytes = std::fs::read(path).map_err(|error| PackError::Io {
                path: shown.clone(),
                error,
            })?;
            if shown.ends_with(".md") {
                let text = String::from_utf8_lossy(&bytes);
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                return Ok(Pack::from_pages(&name, [(name.as_str(), &*text)]));
            }
            Pack::from_bytes(&shown, &bytes)
        }
    }
}

/// Un-gzips a pack file, refusing more than [`MAX_PACK_BYTES`] of output (a small file may
/// inflate to gigabytes).
#[cfg(not(target_arch = "wasm32"))]
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_PACK_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("it does not un-gzip: {e}"))?;
    if out.len() > MAX_PACK_BYTES {
        return Err(format!(
            "it un-gzips to more than {MAX_PACK_BYTES} bytes (split it into several packs)"
        ));
    }
    Ok(out)
}

/// The gzip form of raw version 4 that `runbook-lens pack` writes (`.rlpack`).
#[cfg(not(target_arch = "wasm32"))]
pub fn gzip(raw: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = e.write_all(raw);
    e.finish().unwrap_or_default()
}

/// The error for JSON that does not read as a pack, naming the page whose `file` comes last
/// before the place it stops: the page it stops in for packs as `runbook-lens pack` writes them
/// (a page's `file` first). Only a page's object has a `file` key, and inside a JSON string
/// the quotes of `"file":"` would be escaped.
#[cfg(feature = "json-packs")]
fn read_error(path: &str, json: &str, e: &serde_json::Error) -> PackError {
    // serde_json refuses JSON nested deeper than 128 levels, which `runbook-lens pack` never
    // writes (the parser flattens pages past `MAX_NESTING`); its message alone says too little.
    let mut message = e.to_string();
    if message.starts_with("recursion") {
        message.insert_str(
            0,
            "it is nested too deeply to read (more than 128 levels of JSON): ",
        );
    }
    // A pack as `runbook-lens pack` writes it is one line, where serde_json's column is the
    // byte offset. (In a pack written over several lines, or at a column inside a character,
    // no page is named.)
    let before = match e.line() {
        1 => json.get(..e.column()).unwrap_or(""),
        _ => "",
    };
    // Still a `Format` error (the file did not read as a pack), with the page put first.
    if let Some(at) = before.rfind("\"file\":\"") {
        let name = &before[at + 8..];
        if let Some(end) = name.find('"') {
            message.insert_str(0, &format!("page `{}`: ", &name[..end]));
        }
    }
    PackError::Format {
        path: path.into(),
        message,
    }
}

/// Reads every `.md` page under `root`, paths relative to `root` with `/` separators, sorted.
#[cfg(all(feature = "markdown", not(target_arch = "wasm32")))]
pub fn read_folder(root: &std::path::Path) -> Result<Vec<(String, String)>, PackError> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|error| PackError::Io {
            path: dir.display().to_string(),
            error,
        })?;
        for entry in entries {
            let entry = entry.map_err(|error| PackError::Io {
                path: dir.display().to_string(),
                error,
            })?;
            let path = entry.path();
            let file_type = entry.file_type().map_err(|error| PackError::Io {
                path: path.display().to_string(),
                error,
            })?;
            if file_type.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"))
            {
                let bytes = std::fs::read(&path).map_err(|error| PackError::Io {
                    path: path.display().to_string(),
                    error,
                })?;
                // Pages with stray non-UTF-8 bytes still load; the bad bytes become U+FFFD.
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, text));
            }
        }
    }
    out.sort();
    Ok(out)
}
