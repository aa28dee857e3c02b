//! `racecourse __child TARGET ARGS…`: the functions the chapter's
//! `Process` examples run in a child process (a `Process` cannot run a
//! closure of its parent, only a function the child's program has).

use std::io::Write;
use std::time::Duration;

use crate::net::mp::pickle::hello_world;
use crate::runtime::process::{child_connection, report};

/// Entry point of the hidden `__child` mode; the process exit code.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let Some(mut conn) = child_connection() else {
        return 1;
    };
    let arg = |i: usize| args.get(i).map_or("", String::as_str);
    let ms = |i: usize| Duration::from_millis(arg(i).parse().unwrap_or(0));
    // time.sleep(…), shown on the lane as a wait.
    let sleep = |d: Duration| {
        report("wait sleep");
        std::thread::sleep(d);
        report("run");
    };
    let pid = std::process::id();
    let parent = std::os::unix::process::parent_id();
    let result = match arg(0) {
        // def f(name): print('hello', name)
        "hello" => {
            println!("hello {}", arg(1));
            println!("  (printed by pid {pid}; parent pid {parent})");
            Ok(())
        }
        // def f(q): q.put(['hello', 'world'])
        "queue-put" => {
            sleep(ms(1));
            conn.send(&hello_world())
        }
        // def f(connection): connection.send(['hello', 'world']); …
        "pipe" => {
            sleep(ms(1));
            conn.send(&hello_world()).and_then(|()| {
                report("wait pipe");
                let (reply, _) = conn.recv()?;
                report("run");
                println!("child recv() -> {reply}");
                Ok(())
            })
        }
        // A Listener for the client example: its port goes to the parent.
        "listener" => listener(&mut conn, arg(1)),
        "counter" => {
            let n = arg(2).parse().unwrap_or(0);
            match super::counter::child(arg(1), n, arg(3)) {
                Ok(Some(count)) => conn.send(&crate::net::mp::Value::Int(
                    i64::try_from(count).unwrap_or(i64::MAX),
                )),
                Ok(None) => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
        // def busy(seconds): a busy loop of that much CPU time
        "busy" => {
            let ms = arg(1).parse().unwrap_or(0);
            let job = crate::runtime::jobs::Job::SquareIn {
                x: 0,
                busy_ms: ms,
                fail: false,
            };
            job.run(&mut Unstoppable)
                .map(|_| ())
                .map_err(|e| crate::net::mp::ConnError::Io(std::io::Error::other(e.to_string())))
        }
        "crash" => {
            sleep(ms(1));
            std::process::abort();
        }
        other => {
            eprintln!("unknown child target `{other}`");
            return 2;
        }
    };
    let _ = std::io::stdout().flush();
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

fn listener(
    conn: &mut crate::net::mp::Connection<std::os::unix::net::UnixStream>,
    key: &str,
) -> Result<(), crate::net::mp::ConnError> {
    use crate::net::mp::endpoint;
    let l = endpoint::bind(0)?;
    let port = l.local_addr()?.port();
    conn.send(&crate::net::mp::Value::Int(i64::from(port)))?;
    let each = |e: endpoint::Event| {
        println!("{}", super::listener::line(&e));
        let _ = std::io::stdout().flush();
        match e {
            endpoint::Event::Listening(_) => report("wait accept()"),
            endpoint::Event::Welcomed(_) | endpoint::Event::Received(..) => report("wait recv()"),
            _ => report("run"),
        }
    };
    endpoint::serve(&l, key.as_bytes(), 1, &|| false, &each)?;
    Ok(())
}

/// A child's job runs to its end: the parent stops it by killing it.
struct Unstoppable;

impl crate::runtime::jobs::JobIo for Unstoppable {
    fn progress(&mut self, _: u64) -> bool {
        true
    }
    fn sleep(&mut self, d: Duration) -> bool {
        std::thread::sleep(d);
        true
    }
}
