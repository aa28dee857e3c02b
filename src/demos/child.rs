//! `racecourse __child TARGET ARGS…`: the functions the chapter's
//! `Process` examples run in a child process (a `Process` cannot run a
//! closure of its parent, only a function the child's program has).

use std::io::Write;
use std::time::Duration;

use crate::net::mp::pickle::hello_world;
use crate::runtime::process::child_connection;

/// Entry point of the hidden `__child` mode; the process exit code.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let Some(mut conn) = child_connection() else {
        return 1;
    };
    let arg = |i: usize| args.get(i).map_or("", String::as_str);
    let ms = |i: usize| Duration::from_millis(arg(i).parse().unwrap_or(0));
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
            std::thread::sleep(ms(1));
            conn.send(&hello_world())
        }
        // def f(connection): connection.send(['hello', 'world']); …
        "pipe" => {
            std::thread::sleep(ms(1));
            conn.send(&hello_world()).and_then(|()| {
                let (reply, _) = conn.recv()?;
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
        "crash" => {
            std::thread::sleep(ms(1));
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
    let report = |e: endpoint::Event| {
        println!("{}", super::listener::line(&e));
        let _ = std::io::stdout().flush();
    };
    endpoint::serve(&l, key.as_bytes(), 1, &|| false, &report)?;
    Ok(())
}
