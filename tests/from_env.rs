//! `ClientBuilder::from_env`, in its own binary because it changes the environment. The
//! tests that change it hold `ENV` so that the test threads take turns.

use std::sync::Mutex;

use wechat_endpoint::{ClientBuilder, Error, env};

static ENV: Mutex<()> = Mutex::new(());

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn set(name: &str, value: &str) {
    // SAFETY: the tests of this binary that touch the environment hold `ENV`, and
    // nothing else in it reads the environment.
    unsafe { std::env::set_var(name, value) }
}

fn unset(name: &str) {
    // SAFETY: as for `set`.
    unsafe { std::env::remove_var(name) }
}

fn unset_all() {
    for name in [
        env::MCHID,
        env::MERCHANT_SERIAL,
        env::PRIVATE_KEY,
        env::PUBLIC_KEY,
        env::PUBLIC_KEY_ID,
        env::BASE_URL,
        env::APIV3_KEY,
    ] {
        unset(name);
    }
}

fn read(file: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{file}")).unwrap()
}

#[test]
fn from_env_reads_every_variable_and_names_the_missing_one() {
    let _env = ENV.lock().unwrap_or_else(|e| e.into_inner());
    unset_all();
    let error = ClientBuilder::from_env().unwrap_err();
    assert!(error.to_string().contains("WECHATPAY_MCHID"), "{error}");

    set(env::MCHID, "1900009191");
    set(env::MERCHANT_SERIAL, "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
    set(env::PRIVATE_KEY, &format!("{DATA}/merchant_private_key.pem"));
    set(env::PUBLIC_KEY, &format!("{DATA}/wechatpay_public_key.pem"));
    let error = ClientBuilder::from_env().unwrap_err();
    assert!(error.to_string().contains("WECHATPAY_PUBLIC_KEY_ID"), "{error}");

    set(env::PUBLIC_KEY_ID, "PUB_KEY_ID_0119000091912025112800000000000001");
    set(env::BASE_URL, "http://127.0.0.1:9/");
    let client = ClientBuilder::from_env().unwrap().build().unwrap();
    assert_eq!(client.mchid(), "1900009191");
    assert!(format!("{client:?}").contains("127.0.0.1:9"));

    // The APIv3 key is read too: a malformed one is refused at build().
    set(env::APIV3_KEY, "too short");
    let error = ClientBuilder::from_env().unwrap().build().unwrap_err();
    assert!(error.to_string().contains("APIv3 key"), "{error}");
    unset(env::APIV3_KEY);

    set(env::PRIVATE_KEY, &format!("{DATA}/does-not-exist.pem"));
    let error = ClientBuilder::from_env().unwrap().build().unwrap_err();
    assert!(matches!(error, Error::Config(_)));
    assert!(error.to_string().contains("does-not-exist.pem"), "{error}");
    unset_all();
}

#[test]
fn key_variables_accept_the_pem_text_as_well_as_a_path() {
    let _env = ENV.lock().unwrap_or_else(|e| e.into_inner());
    unset_all();
    set(env::MCHID, "1900009191");
    set(env::MERCHANT_SERIAL, "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
    set(env::PUBLIC_KEY_ID, "PUB_KEY_ID_0119000091912025112800000000000001");
    let private_key = read("merchant_private_key.pem");
    let public_key = read("wechatpay_public_key.pem");

    // As injected by a container platform: the whole PEM, newlines and all.
    set(env::PRIVATE_KEY, &private_key);
    set(env::PUBLIC_KEY, &public_key);
    let client = ClientBuilder::from_env().unwrap().build().unwrap();
    assert_eq!(client.mchid(), "1900009191");
    // PKCS#1 too, and leading blank space.
    set(env::PRIVATE_KEY, &format!("\n  {}", read("merchant_private_key_pkcs1.pem")));
    ClientBuilder::from_env().unwrap().build().unwrap();

    // As held on one line by `.env` files: `\n` escapes.
    set(env::PRIVATE_KEY, &private_key.trim().replace('\n', "\\n"));
    set(env::PUBLIC_KEY, &public_key.trim().replace('\n', "\\n"));
    ClientBuilder::from_env().unwrap().build().unwrap();

    // A path and the text mix freely.
    set(env::PRIVATE_KEY, &format!("{DATA}/merchant_private_key.pem"));
    ClientBuilder::from_env().unwrap().build().unwrap();

    // Broken PEM text is a configuration error that shows none of the text.
    let broken = private_key.replace("MII", "XXX");
    set(env::PRIVATE_KEY, &broken);
    let error = ClientBuilder::from_env().unwrap().build().unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(error.to_string().contains("merchant private key"), "{error}");
    let body_line = broken.lines().nth(1).unwrap();
    assert!(!format!("{error} {error:?}").contains(body_line), "{error:?}");
    let builder = ClientBuilder::from_env().unwrap();
    assert!(!format!("{builder:?}").contains(body_line));
    unset_all();
}

/// Every `"WECHATPAY_…"` name the library's code holds, in order of first appearance,
/// outside the typed endpoints (`apis/`), whose `"WECHATPAY_…"` strings are values of the
/// gateway's enumerations (`WECHATPAY_ACCOUNT`…).
fn variables_in_the_code() -> Vec<String> {
    fn walk(dir: &std::path::Path, names: &mut Vec<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.ends_with("runtime/src/apis") {
                continue;
            } else if path.is_dir() {
                walk(&path, names);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("\"WECHATPAY_") {
                    let name: String = text[at + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
        }
    }
    let mut names = Vec::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src"), &mut names);
    names
}

/// The doc comment of `ClientBuilder::from_env`.
fn from_env_docs() -> String {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/runtime/src/builder.rs")).unwrap();
    let lines: Vec<&str> = source.lines().collect();
    let at = lines.iter().position(|l| l.contains("pub fn from_env(")).expect("from_env in builder.rs");
    let mut docs: Vec<&str> =
        lines[..at].iter().rev().take_while(|l| l.trim_start().starts_with("///")).copied().collect();
    docs.reverse();
    docs.join("\n")
}

#[test]
fn every_variable_the_code_reads_is_documented() {
    let names = variables_in_the_code();
    assert!(names.len() >= 7, "{names:?}");
    let docs = from_env_docs();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for name in &names {
        assert!(docs.contains(&format!("`{name}`")), "`{name}` is read but missing from the from_env docs");
        assert!(readme.contains(&format!("`{name}`")), "`{name}` is read but missing from the README");
    }
}
