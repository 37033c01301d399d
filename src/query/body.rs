//! A streamed HTTP response body fed by a synchronous writer: the encoders (and the feature
//! writers) run on a blocking thread and write to a [`ChannelWriter`], whose flushed bytes
//! become the body's chunks as they come. Memory stays at one chunk or so, whatever the size.

use std::future::Future;
use std::io::{self, Write};

use axum::body::Body;
use bytes::Bytes;
use futures::StreamExt;
use tokio::sync::mpsc;

/// One piece of a streamed body; an error ends the body early.
pub type Chunk = Result<Bytes, io::Error>;

/// Bytes gathered before a chunk is sent; encoders also flush once per batch.
const CHUNK: usize = 64 * 1024;

/// Runs `write` on a blocking thread with a writer whose bytes go to the returned receiver;
/// the receiver ends when `write` returns (and the writer is dropped). Use [`body`] to answer
/// with it, or read it first (e.g. to wait for a first sign before choosing the status).
pub fn spawn_writer(write: impl FnOnce(ChannelWriter) + Send + 'static) -> mpsc::Receiver<Chunk> {
    let (sender, receiver) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || write(ChannelWriter::new(sender)));
    receiver
}

/// The chunks of `receiver` as a response body.
pub fn body(receiver: mpsc::Receiver<Chunk>) -> Body {
    let chunks = futures::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    });
    Body::from_stream(chunks.boxed())
}

/// A body streaming what `write` writes, on a blocking thread: [`spawn_writer`] then [`body`].
pub fn streamed_body(write: impl FnOnce(ChannelWriter) + Send + 'static) -> Body {
    body(spawn_writer(write))
}

/// A writer whose bytes become the chunks of a streamed HTTP body.
pub struct ChannelWriter {
    buffer: Vec<u8>,
    sender: mpsc::Sender<Chunk>,
}

impl ChannelWriter {
    fn new(sender: mpsc::Sender<Chunk>) -> Self {
        Self {
            buffer: Vec::with_capacity(CHUNK),
            sender,
        }
    }

    /// The chunk being gathered. Writers that build their bytes in a `Vec` append to it
    /// directly, and [`Write::flush`] when it has grown to a chunk's size.
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.buffer
    }

    /// Completes when the client has gone away (the body was dropped): a reason to stop.
    pub fn client_gone(&self) -> impl Future<Output = ()> + Send + 'static {
        let sender = self.sender.clone();
        async move { sender.closed().await }
    }

    /// Ends the body with `error` instead of its remaining bytes: the client sees it stop
    /// short of a whole document.
    pub fn fail(mut self, error: io::Error) {
        self.buffer.clear();
        let _ = self.sender.blocking_send(Err(error));
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.send();
    }
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt;

    use super::*;

    #[tokio::test]
    async fn what_the_writer_writes_is_the_body() {
        let body = streamed_body(|mut out| {
            out.write_all(b"first ").unwrap();
            out.flush().unwrap();
            out.buffer().extend_from_slice(b"second");
        });
        let bytes = body.collect().await.unwrap().to_bytes();
        assert_eq!(&bytes[..], b"first second");
    }

    #[tokio::test]
    async fn the_writer_learns_that_the_client_went_away() {
        let (gone, told) = tokio::sync::oneshot::channel();
        let receiver = spawn_writer(move |out| {
            let handle = tokio::runtime::Handle::current();
            handle.block_on(out.client_gone());
            let _ = gone.send(());
        });
        drop(receiver);
        told.await.unwrap();
    }

    #[tokio::test]
    async fn a_failed_writer_ends_the_body_with_an_error() {
        let body = streamed_body(|mut out| {
            out.write_all(b"half a document").unwrap();
            out.fail(io::Error::other("the query failed"));
        });
        assert!(body.collect().await.is_err());
    }
}
