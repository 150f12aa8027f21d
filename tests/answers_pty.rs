//! Getting answers out, end to end: the real binary in a pseudo-terminal on the demo
//! sandbox copies the request as curl through OSC 52, saves a body without overwriting, and
//! hands the request body to the user's editor and takes it back.

#![cfg(unix)]

#[path = "support/pty.rs"]
mod pty;

use base64::Engine as _;
use pty::{CTRL_C, CTRL_S, ENTER, Session, find};

const TAB: &[u8] = b"\t";
const CTRL_E: &[u8] = b"\x05";

/// Opens Salesforce's List Contacts in the editor.
fn open_list_contacts(s: &mut Session) {
    s.wait_for("Account connectors (11");
    s.send(ENTER);
    s.wait_until("the methods", |screen| screen.contains("List Contacts"));
    s.send(b"/list contacts");
    s.send(ENTER);
    s.send(ENTER);
    s.wait_for("Request: List Contacts");
}

/// `y` then `c`: the curl line reaches the terminal as OSC 52, with the account header and
/// the body, and `$CYCLR_TOKEN` where the token would be.
#[test]
fn copy_as_curl_goes_to_the_terminal_clipboard() {
    let mut s = Session::spawn_env(&[], &[("CYCLR_CLIPBOARD", "osc52")], 120, 40);
    open_list_contacts(&mut s);
    s.send(CTRL_S);
    s.wait_for("200 OK");
    s.send(TAB);
    s.send(b"y");
    s.wait_for("the request as curl");
    s.send(b"c");
    s.wait_for("(OSC 52 to the terminal)");
    let raw = s.raw();
    let start = find(raw, b"\x1b]52;c;").expect("an OSC 52 sequence") + 7;
    let end = start + find(&raw[start..], b"\x07").expect("its end");
    let line = base64::engine::general_purpose::STANDARD
        .decode(&raw[start..end])
        .expect("base64");
    let line = String::from_utf8(line).expect("text");
    assert!(
        line.starts_with("curl -X POST 'http://127.0.0.1:"),
        "{line}"
    );
    assert!(line.contains("/v1.0/account/connectors/"), "{line}");
    assert!(
        line.contains(r#"-H "Authorization: Bearer $CYCLR_TOKEN""#),
        "{line}"
    );
    assert!(line.contains("-H 'X-Cyclr-Account: "), "{line}");
    assert!(line.contains("--data-raw '"), "{line}");
    assert!(!line.to_ascii_lowercase().contains("bearer ey"), "{line}");
    s.send(CTRL_C);
    s.assert_clean_exit("Ctrl-C");
}

/// `s` saves the body under a name from the method and time; saving again under that name
/// asks first, and Enter then replaces it.
#[test]
fn save_never_overwrites_without_asking() {
    let mut s = Session::spawn(120, 40);
    open_list_contacts(&mut s);
    s.send(CTRL_S);
    s.wait_for("200 OK");
    s.send(TAB);
    s.send(b"s");
    s.wait_for("list-contacts-");
    s.send(ENTER);
    s.wait_for("saved 1.4 kB to list-contacts-");
    let saved: Vec<_> = std::fs::read_dir(s.home())
        .expect("the home")
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("list-contacts-")
        })
        .collect();
    assert_eq!(saved.len(), 1, "one file saved");
    let body = std::fs::read_to_string(saved[0].path()).expect("the file");
    assert!(body.contains("\"records\""), "{body}");

    s.send(b"s");
    s.wait_for("list-contacts-");
    s.send(ENTER);
    s.wait_for("exists: Enter replaces it");
    s.send(ENTER);
    s.wait_until("saved again", |screen| {
        !screen.contains("exists: Enter replaces it") && screen.contains("saved 1.4 kB")
    });
    s.send(CTRL_C);
    s.assert_clean_exit("Ctrl-C");
}

/// Ctrl-E in the editor: the editor named by `EDITOR` gets the body in a `.jsonc` file; what
/// it leaves there replaces the body, and the explorer comes back whole. An editor that fails
/// leaves the body as it was.
#[test]
fn ctrl_e_hands_the_body_to_the_users_editor() {
    let scripts = tempfile::tempdir().expect("a folder");
    let editor = scripts.path().join("edit.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\ncase \"$1\" in *.jsonc) ;; *) exit 3;; esac\nprintf '{\"Parameters\": {\"3400002\": \"2\"}}\\n' > \"$1\"\n",
    )
    .expect("the script");
    let failing = scripts.path().join("fail.sh");
    std::fs::write(&failing, "#!/bin/sh\nexit 1\n").expect("the script");
    for script in [&editor, &failing] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let editor = editor.display().to_string();
    let mut s = Session::spawn_env(&[], &[("VISUAL", &editor), ("EDITOR", &editor)], 120, 40);
    open_list_contacts(&mut s);
    s.send(CTRL_E);
    s.wait_for("body replaced with the editor's text");
    s.wait_for(r#"{"Parameters": {"3400002": "2"}}"#);
    // Everything is drawn again after the editor had the terminal.
    s.wait_for("Account connectors (11)");
    s.send(CTRL_S);
    s.wait_for("200 OK");
    s.send(TAB);
    s.send(b"]]]]");
    s.wait_for(r#"{"Parameters":{"3400002":"2"},"Fields":{}}"#);
    s.send(CTRL_C);
    s.assert_clean_exit("Ctrl-C");

    let failing = failing.display().to_string();
    let mut s = Session::spawn_env(&[], &[("VISUAL", &failing), ("EDITOR", &failing)], 120, 40);
    open_list_contacts(&mut s);
    s.send(CTRL_E);
    s.wait_for("the editor exited with an error: the body is as it was");
    s.wait_for("// Page Size");
    s.send(CTRL_C);
    s.assert_clean_exit("Ctrl-C");
}
