//! Editing text in the user's own editor (`$VISUAL`, else `$EDITOR`, else `vi`).
//!
//! [`edit`] writes the text to a new temporary file, runs the editor on it in the foreground
//! and reads the file back. It blocks until the editor exits, and the editor shares the
//! terminal: call it only while the interface is suspended (the input reader paused, raw mode
//! and the alternate screen left), and redraw everything afterwards.

use std::io::{self, Write as _};
use std::process::{Command, Stdio};

/// The editor to run, as a program and its arguments: `$VISUAL`, else `$EDITOR`, else `vi`
/// (empty values count as unset). The value is split as a shell would split words, quotes
/// and backslashes included (`code --wait`, `"/opt/My Editor/bin/edit" -w`); a value with an
/// unbalanced quote is taken whole as the program's name.
pub fn editor_command() -> Vec<String> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(|v| v.to_string_lossy().into_owned())
            .filter(|v| !v.trim().is_empty())
    };
    command_from(var("VISUAL").as_deref(), var("EDITOR").as_deref())
}

fn command_from(visual: Option<&str>, editor: Option<&str>) -> Vec<String> {
    let Some(value) = visual.or(editor).map(str::trim).filter(|v| !v.is_empty()) else {
        return vec!["vi".to_string()];
    };
    match shell_words::split(value) {
        Ok(words) if !words.is_empty() => words,
        _ => vec![value.to_string()],
    }
}

/// Lets the user edit `text` with `command` (a program and its arguments, as from
/// [`editor_command`]); the temporary file's path is its last argument, and its name ends in
/// `.extension` (`jsonc` gives `cyclr-request-XXXXXX.jsonc`, so the editor picks the right
/// syntax). The editor inherits the terminal (stdin, stdout, stderr) and this call blocks
/// until it exits.
///
/// - The editor exits successfully: `Ok(Some(text))`, the file as it was left (unchanged text
///   included; the caller compares).
/// - The editor fails (a non-zero exit, as `:cq` in vim, or a signal): `Ok(None)`, and the
///   caller keeps its text.
/// - The editor cannot be started, or the file cannot be written or read back: `Err` with a
///   sentence for the user.
///
/// The file is created readable by its owner only, and removed afterwards, with one
/// exception: when the edited file is not UTF-8, it is kept and the error names it, so the
/// user's edits are not lost.
pub fn edit(text: &str, extension: &str, command: &[String]) -> Result<Option<String>, String> {
    let Some((program, args)) = command.split_first() else {
        return Err("no editor command (set VISUAL or EDITOR)".into());
    };
    let extension = extension.trim_start_matches('.');
    let suffix = if extension.is_empty() {
        String::new()
    } else {
        format!(".{extension}")
    };
    let mut file = tempfile::Builder::new()
        .prefix("cyclr-request-")
        .suffix(&suffix)
        .tempfile()
        .map_err(|e| format!("cannot create a temporary file to edit: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("cannot write {}: {e}", file.path().display()))?;
    // Closes our handle (the editor may replace the file) but keeps the path, which is
    // removed when `path` drops.
    let path = file.into_temp_path();

    let status = Command::new(program)
        .args(args)
        .arg(&*path)
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| {
            format!(
                "cannot start the editor `{program}`: {} (set VISUAL or EDITOR)",
                describe_io_error(&e)
            )
        })?;
    if !status.success() {
        return Ok(None);
    }
    // Read by path, not through the handle we wrote with: many editors save by writing a new
    // file and renaming it over the old one.
    let bytes = std::fs::read(&path).map_err(|e| {
        format!(
            "cannot read the edited file back: {}",
            describe_io_error(&e)
        )
    })?;
    match String::from_utf8(bytes) {
        Ok(edited) => Ok(Some(edited)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let kept = path.keep().map_or_else(
                |_| "it could not be kept".to_string(),
                |p| format!("it is kept in {}", p.display()),
            );
            Err(format!(
                "the edited text is not UTF-8 (a bad byte at offset {offset}), \
                 so it was not used; {kept}"
            ))
        }
    }
}

/// An I/O error without the "(os error N)" that `std` appends to the system's message.
fn describe_io_error(e: &io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn words(v: &[&str]) -> Vec<String> {
        v.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_editor_comes_from_visual_then_editor_then_vi() {
        assert_eq!(command_from(None, None), ["vi"]);
        assert_eq!(command_from(Some("  "), None), ["vi"]);
        assert_eq!(command_from(None, Some("nano")), ["nano"]);
        assert_eq!(command_from(Some("hx"), Some("nano")), ["hx"]);
        assert_eq!(command_from(Some("code --wait"), None), ["code", "--wait"]);
        assert_eq!(
            command_from(Some(r#""/opt/My Editor/bin/edit" -w --title 'a b'"#), None),
            ["/opt/My Editor/bin/edit", "-w", "--title", "a b"]
        );
        assert_eq!(
            command_from(Some(r"/opt/My\ Editor/ed"), None),
            ["/opt/My Editor/ed"]
        );
        // An unbalanced quote: the whole value, for the error message to show.
        assert_eq!(command_from(Some("vim \"-u"), None), ["vim \"-u"]);
    }

    /// A script run with `sh`, so the tests execute no file they have just written (which
    /// fails with ETXTBSY when another test thread forks meanwhile).
    fn script(dir: &Path, body: &str) -> Vec<String> {
        let path = dir.join("editor.sh");
        std::fs::write(&path, body).unwrap();
        words(&["sh", path.to_str().unwrap()])
    }

    fn recorded_path(dir: &Path) -> PathBuf {
        PathBuf::from(
            std::fs::read_to_string(dir.join("seen"))
                .unwrap()
                .trim_end(),
        )
    }

    #[test]
    fn the_edited_text_comes_back_and_the_file_goes() {
        let dir = tempfile::tempdir().unwrap();
        // Saves as many editors (and `sed -i`) do: a new file renamed over the old one.
        let editor = script(
            dir.path(),
            &format!(
                "echo \"$1\" > '{}/seen'\nsed 's/1/2/' \"$1\" > \"$1.new\" && mv \"$1.new\" \"$1\"\n",
                dir.path().display()
            ),
        );
        let got = edit("{\"a\": 1}\n", "jsonc", &editor).unwrap();
        assert_eq!(got.as_deref(), Some("{\"a\": 2}\n"));
        let path = recorded_path(dir.path());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("cyclr-request-"), "{name}");
        assert_eq!(path.extension().and_then(|e| e.to_str()), Some("jsonc"));
        assert!(!path.exists(), "the temporary file is removed");
    }

    #[test]
    fn an_editor_that_writes_a_new_text() {
        let dir = tempfile::tempdir().unwrap();
        let editor = script(dir.path(), "printf 'new ✓' > \"$1\"\n");
        assert_eq!(
            edit("old", ".json", &editor).unwrap().as_deref(),
            Some("new ✓")
        );
        // Unchanged text comes back too: the caller compares.
        let editor = script(dir.path(), "true\n");
        assert_eq!(edit("same", "", &editor).unwrap().as_deref(), Some("same"));
        // Arguments before the path are kept.
        let editor = words(&["sh", "-c", "printf '%s' \"$0\" > \"$1\"", "from-arg"]);
        assert_eq!(
            edit("", "txt", &editor).unwrap().as_deref(),
            Some("from-arg")
        );
    }

    #[test]
    fn a_failing_editor_keeps_the_old_text() {
        let dir = tempfile::tempdir().unwrap();
        let editor = script(
            dir.path(),
            &format!(
                "echo \"$1\" > '{}/seen'\nprintf 'half done' > \"$1\"\nexit 1\n",
                dir.path().display()
            ),
        );
        assert_eq!(edit("old", "jsonc", &editor), Ok(None));
        assert!(!recorded_path(dir.path()).exists());
        let killed = words(&["sh", "-c", "kill -9 $$"]);
        assert_eq!(edit("old", "jsonc", &killed), Ok(None));
    }

    #[test]
    fn a_missing_editor_is_a_clear_error() {
        let err = edit("x", "jsonc", &words(&["cyclr-no-such-editor", "-w"])).unwrap_err();
        assert_eq!(
            err,
            "cannot start the editor `cyclr-no-such-editor`: \
             No such file or directory (set VISUAL or EDITOR)"
        );
        let err = edit("x", "jsonc", &[]).unwrap_err();
        assert!(err.contains("set VISUAL or EDITOR"), "{err}");
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_but_kept() {
        let dir = tempfile::tempdir().unwrap();
        let editor = script(dir.path(), "printf 'ok\\377' > \"$1\"\n");
        let err = edit("x", "jsonc", &editor).unwrap_err();
        assert!(err.contains("not UTF-8 (a bad byte at offset 2)"), "{err}");
        let kept = err.rsplit_once("kept in ").unwrap().1;
        assert_eq!(std::fs::read(kept).unwrap(), b"ok\xff");
        std::fs::remove_file(kept).unwrap();
    }

    #[test]
    fn a_deleted_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let editor = script(dir.path(), "rm \"$1\"\n");
        let err = edit("x", "jsonc", &editor).unwrap_err();
        assert_eq!(
            err,
            "cannot read the edited file back: No such file or directory"
        );
    }
}
