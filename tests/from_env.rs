//! `ClientBuilder::from_env`. One test in its own binary: it changes the environment.

use wechat_endpoint::{ClientBuilder, Error, env};

#[test]
fn from_env_reads_every_variable_and_names_the_missing_one() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let set = |name: &str, value: &str| unsafe { std::env::set_var(name, value) };
    let unset = |name: &str| unsafe { std::env::remove_var(name) };
    for name in [env::MCHID, env::MERCHANT_SERIAL, env::PRIVATE_KEY, env::PUBLIC_KEY, env::PUBLIC_KEY_ID, env::BASE_URL]
    {
        unset(name);
    }
    let error = ClientBuilder::from_env().unwrap_err();
    assert!(error.to_string().contains("WECHATPAY_MCHID"), "{error}");

    set(env::MCHID, "1900009191");
    set(env::MERCHANT_SERIAL, "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
    set(env::PRIVATE_KEY, &format!("{data}/merchant_private_key.pem"));
    set(env::PUBLIC_KEY, &format!("{data}/wechatpay_public_key.pem"));
    let error = ClientBuilder::from_env().unwrap_err();
    assert!(error.to_string().contains("WECHATPAY_PUBLIC_KEY_ID"), "{error}");

    set(env::PUBLIC_KEY_ID, "PUB_KEY_ID_0119000091912025112800000000000001");
    set(env::BASE_URL, "http://127.0.0.1:9/");
    let client = ClientBuilder::from_env().unwrap().build().unwrap();
    assert_eq!(client.mchid(), "1900009191");
    assert!(format!("{client:?}").contains("127.0.0.1:9"));

    set(env::PRIVATE_KEY, &format!("{data}/does-not-exist.pem"));
    let error = ClientBuilder::from_env().unwrap().build().unwrap_err();
    assert!(matches!(error, Error::Config(_)));
    assert!(error.to_string().contains("does-not-exist.pem"), "{error}");
}
