//! A pack: the runbooks of a team, from a folder of markdown pages (read recursively) or from
//! a serialised pack file made by `runbook-lens pack`, with the index that keeps matching fast.

use std::fmt;

use serde::Deserialize;

use crate::matching::Index;
#[cfg(feature = "markdown")]
use crate::runbook::parse_runbook;
use crate::runbook::Runbook;

pub use check::{MAX_PACK_BYTES, MAX_RUNBOOKS, MAX_SECTIONS};

pub mod bytes;
mod check;
mod convert;
pub mod page_codec;
#[cfg(test)]
mod sample;
#[cfg(test)]
mod tests;
mod wire;

/// The `format` value of a serialised pack.
pub const PACK_FORMAT: &str = "runbook-lens-pack";
/// The version of the serialised form (`src/pack/wire.rs`) this build writes and reads. Bump
/// it with any change of the wire shape; `UPDATE_EXPECT=1 cargo test --lib pack::` then
/// records the new shape in `src/pack/wire_shape.txt`.
pub const PACK_VERSION: u32 = 3;
/// The oldest version this build still reads. Version 2 added front matter `extract` rules and
/// version 3 `chosen_for` alert names; an older pack is a newer one without them.
pub const OLDEST_PACK_VERSION: u32 = 1;

/// A set of runbooks and their matching index.
#[derive(Debug, Clone)]
pub struct Pack {
    pub name: String,
    pub runbooks: Vec<Runbook>,
    pub index: Index,
}

/// The header of a pack file, read alone to explain why a file does not load.
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

    /// Builds a pack from parsed runbooks.
    pub fn from_runbooks(name: &str, mut runbooks: Vec<Runbook>) -> Pack {
        crate::text::sort_stable_by(&mut runbooks, |a, b| a.file.cmp(&b.file));
        let index = Index::build(&runbooks);
        Pack {
            name: name.to_string(),
            runbooks,
            index,
        }
    }

    /// The index in `runbooks` of the page at `file`: `from_runbooks` keeps them sorted by file.
    pub fn position(&self, file: &str) -> Option<usize> {
        self.runbooks
            .binary_search_by(|r| r.file.as_str().cmp(file))
            .ok()
    }

    /// The serialised form, as JSON.
    pub fn to_json(&self) -> String {
        let file = wire::PackFile {
            format: PACK_FORMAT.into(),
            version: PACK_VERSION,
            name: self.name.clone(),
            runbooks: self.runbooks.iter().map(wire::Runbook::from).collect(),
        };
        serde_json::to_string(&file).unwrap_or_default()
    }

    /// Reads a serialised pack and checks every page of it (`check.rs`): what loads is safe to
    /// index by. `path` only names the source in errors.
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
                    || h.version > u64::from(PACK_VERSION) =>
            {
                return Err(format_error(format!("pack version {}; this build reads version {PACK_VERSION} (re-run `runbook-lens pack`)", h.version)))
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
            let text = std::fs::read_to_string(path).map_err(|error| PackError::Io {
                path: shown.clone(),
                error,
            })?;
            if shown.ends_with(".md") {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                return Ok(Pack::from_pages(&name, [(name.as_str(), text.as_str())]));
            }
            Pack::from_json(&shown, &text)
        }
    }
}

/// The error for JSON that does not read as a pack, naming the page whose `file` comes last
/// before the place it stops: the page it stops in for packs as `runbook-lens pack` writes them
/// (a page's `file` first). Only a page's object has a `file` key, and inside a JSON string
/// the quotes of `"file":"` would be escaped.
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
