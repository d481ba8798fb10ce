//! One `LocalResource` type for every request. Leptos compiles its async machinery once per
//! resource value and future type: about 25 KB of wasm before optimisation each, for some
//! fifteen of them. Here every answer travels as `Rc<dyn Any>` behind one boxed future type,
//! and is typed again where a page reads it.

use leptos::prelude::*;
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

type Erased = Rc<dyn Any>;
type Pending = Pin<Box<dyn Future<Output = Erased>>>;

/// The only `LocalResource::new` of the app (see the module's comment).
fn erased(fetch: Rc<dyn Fn() -> Pending>) -> LocalResource<Erased> {
    LocalResource::new(move || fetch())
}

/// A value fetched by a future that re-runs when the signals its fetcher reads change, or on
/// [`Fetching::refetch`]: a `LocalResource<V>` that costs no new code per `V`.
pub struct Fetching<V> {
    inner: LocalResource<Erased>,
    value: PhantomData<fn() -> V>,
}

impl<V> Clone for Fetching<V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V> Copy for Fetching<V> {}

impl<V: 'static> Fetching<V> {
    pub fn new<Fut>(fetcher: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = V> + 'static,
    {
        let fetch: Rc<dyn Fn() -> Pending> = Rc::new(move || {
            let future = fetcher();
            Box::pin(async move { Rc::new(future.await) as Erased })
        });
        Self {
            inner: erased(fetch),
            value: PhantomData,
        }
    }

    /// Reads the value (`None` while the first answer is awaited), tracking it.
    pub fn with<R>(&self, read: impl FnOnce(Option<&V>) -> R) -> R {
        self.inner
            .with(|answer| read(answer.as_ref().and_then(|a| a.downcast_ref::<V>())))
    }

    /// A copy of the value, tracking it.
    pub fn get(&self) -> Option<V>
    where
        V: Clone,
    {
        self.with(|value| value.cloned())
    }

    pub fn refetch(&self) {
        self.inner.refetch();
    }
}
