//! The blocking client: where it works, where it refuses, and that dropping it is safe
//! anywhere.

mod common;

use common::*;
use wechat_endpoint::Error;
use wechat_endpoint::blocking;
use wechat_endpoint::sandbox::Sandbox;

fn list(client: &blocking::Client) -> Result<AssociatedStores, Error> {
    client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID))
}

/// The client after it has made a call, so its runtime holds pooled connections and
/// their tasks when it is dropped.
fn used_client(sandbox: &Sandbox) -> blocking::Client {
    let client = sandbox.blocking_client().unwrap();
    std::thread::scope(|s| s.spawn(|| list(&client).unwrap()).join().unwrap());
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_last_clone_inside_a_multi_thread_task_is_safe() {
    let sandbox = Sandbox::start().unwrap();
    let client = used_client(&sandbox);
    let clone = client.clone();
    drop(client);
    tokio::spawn(async move { drop(clone) }).await.unwrap();
    drop(sandbox.blocking_client().unwrap());
}

#[tokio::test(flavor = "current_thread")]
async fn dropping_the_last_clone_inside_a_current_thread_task_is_safe() {
    let sandbox = Sandbox::start().unwrap();
    drop(used_client(&sandbox));
    let unused = sandbox.blocking_client().unwrap();
    tokio::spawn(async move { drop(unused) }).await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn it_works_from_spawn_blocking_of_a_current_thread_runtime() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    let listed = tokio::task::spawn_blocking(move || list(&client)).await.unwrap().unwrap();
    assert_eq!(listed.total_count, 0);
    assert_eq!(sandbox.received().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_works_from_spawn_blocking_and_block_in_place_of_a_multi_thread_runtime() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    let moved = client.clone();
    tokio::task::spawn_blocking(move || list(&moved)).await.unwrap().unwrap();
    tokio::task::block_in_place(|| list(&client)).unwrap();
    assert_eq!(sandbox.received().len(), 2);
}

#[test]
fn it_works_from_std_threads_while_another_thread_runs_tokio() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let driver = std::thread::spawn(move || runtime.block_on(stopped));
    // A plain thread, and one holding another runtime's enter guard.
    std::thread::scope(|s| {
        s.spawn(|| list(&client).unwrap());
        s.spawn(|| {
            let other = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let _entered = other.enter();
            list(&client).unwrap()
        });
    });
    stop.send(()).unwrap();
    driver.join().unwrap().unwrap();
    assert_eq!(sandbox.received().len(), 2);
}

fn assert_refused(result: Result<AssociatedStores, Error>) {
    let error = result.unwrap_err();
    assert!(matches!(error, Error::BlockingInAsyncContext), "{error:?}");
    let text = error.to_string();
    for says in ["a tokio runtime is polling", "stall that runtime", "deadlock", "tokio::task::spawn_blocking"] {
        assert!(text.contains(says), "{text:?} does not say {says:?}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn it_refuses_inside_a_current_thread_task_and_says_why() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    assert_refused(list(&client));
    let moved = client.clone();
    assert_refused(tokio::spawn(async move { list(&moved) }).await.unwrap());
    assert!(sandbox.received().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_refuses_inside_a_multi_thread_task_and_says_why() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    assert_refused(list(&client));
    let moved = client.clone();
    assert_refused(tokio::spawn(async move { list(&moved) }).await.unwrap());
    assert!(sandbox.received().is_empty());
}
