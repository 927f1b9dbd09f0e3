//! What a PDF must pass before its text is drawn: streams that inflate within their caps, a page
//! tree without loops, and drawings (form XObjects) that neither draw themselves nor nest without
//! end. `pdf-extract` trusts the file on all three (it inflates whatever it finds, follows
//! `/Parent` for ever and recurses into every `Do`), so the guard checks first and cuts the loops.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use flate2::read::{DeflateDecoder, ZlibDecoder};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::DocumentError;

/// One stream may inflate to this much, and all of a file's to `MAX_INFLATED_FILE`.
pub const MAX_INFLATED_STREAM: u64 = 50 * 1024 * 1024;
pub const MAX_INFLATED_FILE: u64 = 200 * 1024 * 1024;
/// Drawings nest at most this deep; a deeper one is not drawn.
const MAX_DRAWING_DEPTH: usize = 24;
/// All the pages together draw at most this many drawings: a drawing that draws another twice, at
/// every level, would otherwise take 2^depth steps.
const MAX_DRAWINGS: usize = 100_000;

/// Checks `doc` and makes it safe to draw: every stream's inflated size within its cap, the page
/// tree checked for loops, and every `Do` that would close a loop of drawings, or nest past
/// `MAX_DRAWING_DEPTH`, removed from the drawing that holds it.
pub fn guard(doc: &mut Document) -> Result<(), DocumentError> {
    check_inflated_sizes(doc)?;
    check_page_tree(doc)?;
    let cuts = drawing_loops(doc)?;
    for (form, names) in cuts {
        cut_drawings(doc, form, &names);
    }
    Ok(())
}

/// Bytes a reader yields, up to `cap + 1` (a stream that is cut short counts what it gave).
fn count(mut reader: impl Read, cap: u64) -> u64 {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    while total <= cap {
        match reader.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n as u64,
        }
    }
    total
}

/// How large a Flate stream inflates, as lopdf will inflate it (zlib, else raw deflate).
fn inflated_size(data: &[u8], cap: u64) -> u64 {
    let size = count(ZlibDecoder::new(data), cap);
    if size == 0 && data.len() > 2 { count(DeflateDecoder::new(&data[2..]), cap) } else { size }
}

fn check_inflated_sizes(doc: &Document) -> Result<(), DocumentError> {
    let mut total = 0u64;
    for object in doc.objects.values() {
        let Object::Stream(stream) = object else { continue };
        let first = stream.filters().ok().and_then(|f| f.first().map(|f| f.to_vec()));
        if first.as_deref() != Some(b"FlateDecode") {
            continue;
        }
        let size = inflated_size(&stream.content, MAX_INFLATED_STREAM);
        total += size;
        if size > MAX_INFLATED_STREAM {
            return Err(DocumentError::TooMuchMemory(format!("a stream inflates past {MAX_INFLATED_STREAM} bytes")));
        }
        if total > MAX_INFLATED_FILE {
            return Err(DocumentError::TooMuchMemory(format!("the streams inflate past {MAX_INFLATED_FILE} bytes")));
        }
    }
    Ok(())
}

fn looping(what: &str) -> DocumentError {
    DocumentError::Damaged(format!("the page tree loops ({what})"))
}

/// No node of the page tree is reached twice from the root, and no page's `/Parent` chain comes
/// back to where it was (a page that is its own parent).
fn check_page_tree(doc: &Document) -> Result<(), DocumentError> {
    let Ok(root) = doc.catalog().and_then(|c| c.get(b"Pages")).and_then(Object::as_reference) else {
        return Ok(());
    };
    let mut seen = HashSet::from([root]);
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        let Ok(kids) = doc.get_dictionary(node).and_then(|d| d.get(b"Kids")).and_then(Object::as_array) else {
            continue;
        };
        for kid in kids.iter().filter_map(|k| k.as_reference().ok()) {
            if !seen.insert(kid) {
                return Err(looping("a node is its own descendant"));
            }
            stack.push(kid);
        }
    }
    for page in seen {
        let mut chain = HashSet::from([page]);
        let mut at = page;
        while let Ok(parent) = doc.get_dictionary(at).and_then(|d| d.get(b"Parent")).and_then(Object::as_reference) {
            if !chain.insert(parent) {
                return Err(looping("a page is its own ancestor"));
            }
            at = parent;
        }
    }
    Ok(())
}

/// The object whose `/Resources` a page uses: itself or its nearest ancestor with some.
fn resources_owner(doc: &Document, page: ObjectId) -> Option<ObjectId> {
    let mut at = page;
    // The tree was checked: the chain ends.
    loop {
        let dict = doc.get_dictionary(at).ok()?;
        if dict.has(b"Resources") {
            return Some(at);
        }
        at = dict.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
}

fn dict_of(doc: &Document, id: ObjectId) -> Option<&Dictionary> {
    match doc.get_object(id).ok()? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// The form XObject `name` stands for in the resources of `owner`.
fn form_named(doc: &Document, owner: ObjectId, name: &[u8]) -> Option<ObjectId> {
    let resources = dict_of(doc, owner)?.get(b"Resources").ok()?;
    let resources = doc.dereference(resources).ok()?.1.as_dict().ok()?;
    let xobjects = doc.dereference(resources.get(b"XObject").ok()?).ok()?.1.as_dict().ok()?;
    let id = xobjects.get(name).ok()?.as_reference().ok()?;
    let stream = doc.get_object(id).ok()?.as_stream().ok()?;
    (stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form")).then_some(id)
}

/// The names a content stream draws with `Do`.
fn drawn_names(content: &[u8]) -> Vec<Vec<u8>> {
    let Ok(content) = Content::decode(content) else { return Vec::new() };
    content
        .operations
        .iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| op.operands.first().and_then(|o| o.as_name().ok()).map(<[u8]>::to_vec))
        .collect()
}

/// One drawing being drawn: which form, whose resources it reads, what it draws, how far it got.
struct Frame {
    form: Option<ObjectId>,
    owner: ObjectId,
    names: std::rc::Rc<Vec<Vec<u8>>>,
    next: usize,
}

/// Walks what every page draws, depth first with an explicit stack (a hostile file cannot exhaust
/// ours), and returns, per drawing, the names whose `Do` closes a loop or nests too deep.
fn drawing_loops(doc: &Document) -> Result<HashMap<ObjectId, HashSet<Vec<u8>>>, DocumentError> {
    let mut cuts: HashMap<ObjectId, HashSet<Vec<u8>>> = HashMap::new();
    let mut names_of: HashMap<ObjectId, std::rc::Rc<Vec<Vec<u8>>>> = HashMap::new();
    let mut drawings = 0usize;
    for page in doc.page_iter() {
        let Some(owner) = resources_owner(doc, page) else { continue };
        let names = std::rc::Rc::new(drawn_names(&doc.get_page_content(page).unwrap_or_default()));
        let mut stack = vec![Frame { form: None, owner, names, next: 0 }];
        while let Some(top) = stack.last_mut() {
            let Some(name) = top.names.get(top.next).cloned() else {
                stack.pop();
                continue;
            };
            top.next += 1;
            let (drawer, owner) = (top.form, top.owner);
            let Some(form) = form_named(doc, owner, &name) else { continue };
            drawings += 1;
            if drawings > MAX_DRAWINGS {
                return Err(DocumentError::TooDeep);
            }
            let on_path = stack.iter().any(|f| f.form == Some(form));
            if on_path || stack.len() > MAX_DRAWING_DEPTH {
                match drawer {
                    Some(drawer) => cuts.entry(drawer).or_default().insert(name),
                    None => return Err(DocumentError::TooDeep),
                };
                continue;
            }
            let names = names_of
                .entry(form)
                .or_insert_with(|| {
                    let stream = doc.get_object(form).and_then(Object::as_stream);
                    std::rc::Rc::new(
                        stream.and_then(|s| s.get_plain_content()).map(|c| drawn_names(&c)).unwrap_or_default(),
                    )
                })
                .clone();
            let has_own = dict_of(doc, form).is_some_and(|d| d.has(b"Resources"));
            stack.push(Frame { form: Some(form), owner: if has_own { form } else { owner }, names, next: 0 });
        }
    }
    Ok(cuts)
}

/// Removes from `form`'s content the `Do` of each of `names`: it draws the rest of itself once.
fn cut_drawings(doc: &mut Document, form: ObjectId, names: &HashSet<Vec<u8>>) {
    let Ok(Object::Stream(stream)) = doc.get_object_mut(form) else { return };
    let Ok(plain) = stream.get_plain_content() else { return };
    let Ok(mut content) = Content::decode(&plain) else { return };
    content.operations.retain(|op| {
        op.operator != "Do" || op.operands.first().and_then(|o| o.as_name().ok()).is_none_or(|n| !names.contains(n))
    });
    if let Ok(encoded) = content.encode() {
        stream.set_plain_content(encoded);
    }
}
