//! jq filters on responses, in-process with jaq (the Rust jq): compiled once, run on a body.
//!
//! The filter language is jq's, with jq's standard library (`select`, `map`, `keys`,
//! `length`, …) as jaq implements it. Nothing here touches the terminal or the file system:
//! `include`/`import` of modules fail to compile, `halt` and `halt_error` end the run with an
//! error instead of ending the process, and `debug`/`stderr` go to the `log` facade.

use jaq_core::load::{Arena, File, Loader, lex, parse};
use jaq_core::{Ctx, Vars, compile, data, load};
use jaq_json::{Num, Val};
use serde_json::{Map, Number, Value};

/// How deeply an output may nest before converting it is refused (the conversion recurses).
const MAX_DEPTH: usize = 512;

/// A compiled filter.
pub struct Filter {
    filter: jaq_core::Filter<data::JustLut<Val>>,
}

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Filter").finish_non_exhaustive()
    }
}

impl Filter {
    /// Compiles `text` (jq syntax with jq's standard library: select, map, keys, length, …).
    /// Errors say what is wrong in one line, with the position when jaq gives one.
    ///
    /// # Errors
    /// The filter does not lex or parse, or names a filter, variable or module that does not
    /// exist.
    pub fn compile(text: &str) -> Result<Filter, String> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let arena = Arena::default();
        let program = File {
            code: text,
            path: (),
        };
        let modules = Loader::new(defs)
            .load(&arena, program)
            .map_err(|errs| load_errors(text, errs))?;
        let filter = jaq_core::Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errs| compile_errors(text, errs))?;
        Ok(Filter { filter })
    }

    /// Runs on `input` (JSON text); the outputs in order. A runtime error stops it and is
    /// returned with the outputs so far not lost: `Err((outputs_so_far, message))`.
    ///
    /// # Errors
    /// `input` is not JSON (no outputs then), or the filter fails at run time: an `error`,
    /// a type error such as adding a number to a string, or `halt`.
    pub fn run(&self, input: &[u8]) -> Result<Vec<Value>, (Vec<Value>, String)> {
        let input = Parsed::new(input).map_err(|e| (Vec::new(), e))?;
        self.run_on(&input, &mut |_| true)
    }

    /// Runs on a body parsed once (see [`Parsed`]). Before taking each output, `go_on` is
    /// asked with the number of outputs so far; `false` stops the run there, keeping them
    /// (a newer filter was typed, or enough was produced).
    ///
    /// # Errors
    /// As [`Filter::run`], with the outputs so far.
    pub fn run_on(
        &self,
        input: &Parsed,
        go_on: &mut dyn FnMut(usize) -> bool,
    ) -> Result<Vec<Value>, (Vec<Value>, String)> {
        let ctx = Ctx::<data::JustLut<Val>>::new(&self.filter.lut, Vars::new([]));
        let mut outputs = Vec::new();
        for output in self.filter.id.run((ctx, input.0.clone())) {
            match output {
                Ok(val) => {
                    let Some(value) = to_json(val, 0) else {
                        let message =
                            format!("an output is nested more than {MAX_DEPTH} levels deep");
                        return Err((outputs, message));
                    };
                    outputs.push(value);
                }
                Err(exn) => return Err((outputs, exception_message(exn))),
            }
            if !go_on(outputs.len()) {
                break;
            }
        }
        Ok(outputs)
    }
}

/// A body parsed for filtering, kept to run many filters on it without parsing it again.
/// Not `Send` (jaq's values share their parts by reference counting): it stays on the
/// thread that parsed it.
pub struct Parsed(Val);

impl Parsed {
    /// Parses JSON text.
    ///
    /// # Errors
    /// The text is not JSON.
    pub fn new(body: &[u8]) -> Result<Parsed, String> {
        serde_json::from_slice(body)
            .map(Parsed)
            .map_err(|e| format!("the body is not JSON: {e}"))
    }
}

/// One line for a runtime exception: jq's error text, or the exit code of `halt`.
fn exception_message(exn: jaq_core::Exn<'_, Val>) -> String {
    match exn.get_err() {
        // `error("text")` carries a string: show it bare, as jq does.
        Ok(err) => match err.into_val() {
            Val::TStr(s) | Val::BStr(s) => String::from_utf8_lossy(&s).into_owned(),
            other => format!("{other} (not a string)"),
        },
        Err(exn) => match exn.get_halt() {
            Ok(code) => format!("halted with exit code {code}"),
            Err(_) => "the filter stopped unexpectedly".to_owned(),
        },
    }
}

/// "line L, column C" (or "column C" for a one-line filter) of `part` inside `whole`,
/// when `part` is a slice of `whole`.
fn position(whole: &str, part: &str) -> Option<String> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    if start > whole.len() {
        return None;
    }
    let before = whole.get(..start)?;
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Some(if whole.contains('\n') {
        format!("line {line}, column {column}")
    } else {
        format!("column {column}")
    })
}

/// What was found at an error: the text there (shortened) or the end of the filter.
fn found(part: &str) -> String {
    let mut chars = part.chars();
    let head: String = chars.by_ref().take(20).collect();
    match (head.is_empty(), chars.next().is_some()) {
        (true, _) => "the end of the filter".to_owned(),
        (false, false) => format!("`{head}`"),
        (false, true) => format!("`{head}…`"),
    }
}

fn with_position(text: &str, part: &str, message: String) -> String {
    match position(text, part) {
        Some(at) => format!("{message} at {at}"),
        None => message,
    }
}

/// The first of the errors from loading (lexing, parsing, modules), in one line.
fn load_errors<'s>(text: &'s str, errs: load::Errors<&'s str, ()>) -> String {
    let mut lines = errs.into_iter().flat_map(|(_file, err)| match err {
        load::Error::Io(errs) => errs
            .into_iter()
            .map(|(path, e)| format!("cannot load module {path:?}: {e}"))
            .collect::<Vec<_>>(),
        load::Error::Lex(errs) => errs
            .into_iter()
            .map(|(expect, part): lex::Error<&str>| {
                let message = format!("expected {}, found {}", lex_expect(&expect), found(part));
                with_position(text, part, message)
            })
            .collect(),
        load::Error::Parse(errs) => errs
            .into_iter()
            .map(|(expect, part): parse::Error<&str>| {
                let message = format!("expected {}, found {}", expect.as_str(), found(part));
                with_position(text, part, message)
            })
            .collect(),
    });
    let first = lines
        .next()
        .unwrap_or_else(|| "the filter does not parse".to_owned());
    let more = lines.count();
    with_more(first, more)
}

/// `lex::Expect::as_str` panics on a delimiter it does not know; this does not.
fn lex_expect(expect: &lex::Expect<&str>) -> &'static str {
    match expect {
        lex::Expect::Delim(d) if !matches!(*d, "(" | "[" | "{" | "\"") => "closing delimiter",
        other => other.as_str(),
    }
}

/// The first of the errors from compiling (undefined names), in one line.
fn compile_errors<'s>(text: &'s str, errs: compile::Errors<&'s str, ()>) -> String {
    let mut lines = errs.into_iter().flat_map(|(_file, errs)| {
        errs.into_iter().map(|(name, undefined)| {
            let what = match undefined {
                compile::Undefined::Filter(arity) => format!("filter `{name}/{arity}`"),
                other => format!("{} `{name}`", other.as_str()),
            };
            with_position(text, name, format!("undefined {what}"))
        })
    });
    let first = lines
        .next()
        .unwrap_or_else(|| "the filter does not compile".to_owned());
    let more = lines.count();
    with_more(first, more)
}

fn with_more(first: String, more: usize) -> String {
    match more {
        0 => first,
        1 => format!("{first} (and 1 more error)"),
        n => format!("{first} (and {n} more errors)"),
    }
}

/// A jaq value as JSON; `None` when it nests deeper than [`MAX_DEPTH`].
///
/// Like jq: NaN becomes null and ±infinity the largest finite number; byte strings and
/// invalid UTF-8 become text (lossily); non-string object keys become their JSON text.
fn to_json(val: Val, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match val {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(b),
        Val::Num(n) => number(&n),
        Val::TStr(s) | Val::BStr(s) => Value::String(String::from_utf8_lossy(&s).into_owned()),
        Val::Arr(items) => Value::Array(
            rc_unwrap_or_clone(items)
                .into_iter()
                .map(|item| to_json(item, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Val::Obj(map) => {
            let mut object = Map::new();
            for (key, value) in rc_unwrap_or_clone(map) {
                let key = match key {
                    Val::TStr(s) | Val::BStr(s) => String::from_utf8_lossy(&s).into_owned(),
                    other => other.to_string(),
                };
                object.insert(key, to_json(value, depth + 1)?);
            }
            Value::Object(object)
        }
    })
}

fn rc_unwrap_or_clone<T: Clone>(rc: jaq_json::Rc<T>) -> T {
    jaq_json::Rc::try_unwrap(rc).unwrap_or_else(|rc| (*rc).clone())
}

fn number(n: &Num) -> Value {
    match n {
        Num::Int(i) => Value::Number(Number::from(*i)),
        Num::Float(f) => float(*f),
        // Big integers and decimals kept from the input: exact when JSON numbers allow it.
        Num::BigInt(_) | Num::Dec(_) => {
            let text = n.to_string();
            text.parse::<Number>().map_or_else(
                |_| text.parse::<f64>().map_or(Value::Null, float),
                Value::Number,
            )
        }
    }
}

fn float(f: f64) -> Value {
    let f = if f.is_infinite() {
        f64::MAX.copysign(f)
    } else {
        f
    };
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(filter: &str, input: &str) -> Result<Vec<Value>, (Vec<Value>, String)> {
        Filter::compile(filter)
            .expect("compiles")
            .run(input.as_bytes())
    }

    const BODY: &str = r#"{"records": [
        {"Email": "a@example.com", "Status": "archived"},
        {"Email": "b@example.com", "Status": "active"},
        {"Email": "c@example.com", "Status": "archived"}
    ]}"#;

    #[test]
    fn select_returns_the_matching_emails_in_order() {
        let out = run(r#".records[] | select(.Status=="archived") | .Email"#, BODY);
        assert_eq!(
            out,
            Ok(vec![json!("a@example.com"), json!("c@example.com")])
        );
    }

    #[test]
    fn length_of_a_field() {
        assert_eq!(
            run(".a | length", r#"{"a": [1, 2, 3]}"#),
            Ok(vec![json!(3)])
        );
        assert_eq!(run(".a | length", r#"{"a": "héllo"}"#), Ok(vec![json!(5)]));
    }

    #[test]
    fn keys_are_sorted_like_jq() {
        assert_eq!(
            run("keys", r#"{"b": 1, "a": 2}"#),
            Ok(vec![json!(["a", "b"])])
        );
    }

    #[test]
    fn map_picks_a_field() {
        assert_eq!(
            run("map(.x)", r#"[{"x": 1}, {"x": "two"}, {}]"#),
            Ok(vec![json!([1, "two", null])])
        );
    }

    #[test]
    fn object_key_order_is_kept() {
        let out = run(".", r#"{"z": 1, "a": {"y": 2, "b": 3}}"#).expect("runs");
        assert_eq!(out.len(), 1);
        assert_eq!(
            serde_json::to_string(&out[0]).expect("serializes"),
            r#"{"z":1,"a":{"y":2,"b":3}}"#
        );
    }

    #[test]
    fn numbers_come_back_as_json_numbers() {
        let out = run("[.[] , (1 / 3), (infinite), (nan)]", "[1, 1.5, -7]");
        assert_eq!(
            out,
            Ok(vec![json!([1, 1.5, -7, 1.0 / 3.0, f64::MAX, null])])
        );
    }

    #[test]
    fn syntax_error_says_what_and_where() {
        let err = Filter::compile(".records[").expect_err("does not compile");
        assert!(err.contains("expected"), "{err}");
        assert!(err.contains("column"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }

    #[test]
    fn unknown_filter_is_a_compile_error() {
        let err = Filter::compile(".a | nosuchthing").expect_err("does not compile");
        assert_eq!(err, "undefined filter `nosuchthing/0` at column 6");
    }

    #[test]
    fn runtime_error_keeps_the_outputs_so_far() {
        let err = run(".a + 1", r#"{"a": "text"}"#).expect_err("fails");
        assert!(err.0.is_empty());
        assert!(err.1.contains("cannot"), "{}", err.1);

        let (outputs, message) = run(".[] | (. + 1)", r#"[1, 2, "x", 4]"#).expect_err("fails");
        assert_eq!(outputs, vec![json!(2), json!(3)]);
        assert!(message.contains("\"x\""), "{message}");
    }

    #[test]
    fn error_with_a_string_shows_the_string() {
        let err = run(r#"1, error("boom")"#, "null").expect_err("fails");
        assert_eq!(err, (vec![json!(1)], "boom".to_owned()));
    }

    #[test]
    fn halt_does_not_end_the_process() {
        let err = run("halt_error(3)", r#""bye""#).expect_err("fails");
        assert_eq!(err, (vec![], "halted with exit code 3".to_owned()));
    }

    #[test]
    fn input_that_is_not_json_is_an_error() {
        let err = run(".", "<html>nope</html>").expect_err("fails");
        assert!(err.0.is_empty());
        assert!(err.1.starts_with("the body is not JSON: "), "{}", err.1);
    }

    #[test]
    fn optional_iteration_on_a_number_is_empty() {
        assert_eq!(run(".[]?", "42"), Ok(vec![]));
    }

    #[test]
    fn modules_cannot_be_loaded() {
        let err = Filter::compile(r#"include "x"; ."#).expect_err("does not compile");
        assert!(!err.is_empty());
    }

    #[test]
    fn filter_can_move_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Filter>();
    }
}
