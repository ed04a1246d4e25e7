//! The master key file (`SWITCHBOARD_MASTER_KEY_FILE`, default `data/master.key`): reading
//! it, and creating it with a fresh key on first run. The file holds the key as base64 on
//! one line; it is created with mode 0600 and never overwritten.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use zeroize::Zeroizing;

use super::keyring::{KeyError, MasterKey};

/// A key file is ~45 bytes; anything far larger is not a key file, and the cap keeps the
/// read buffer from reallocating (which would leave unzeroized copies of the key behind).
const MAX_KEY_FILE_LEN: usize = 4096;

/// Loads the master key file (trimmed base64), or when it does not exist creates it (parent
/// directories too) with a fresh key and mode 0600. Returns `(key, created)`.
///
/// A file with bad contents → [`KeyError::Invalid`] naming the path but not the contents.
/// A file that others can read or write is refused ([`KeyError::Io`] naming the file, its
/// mode and `chmod 600`); a group-readable one is accepted with a warning, since container
/// secret mounts are often 0640. Two processes starting
/// together never create two keys; the slower one may fail with `Invalid` if it reads the
/// file between its creation and the write, and succeeds on its next start.
pub fn load_or_create(path: &Path) -> Result<(MasterKey, bool), KeyError> {
    match read_key_file(path) {
        Ok(key) => return Ok((key, false)),
        Err(Missing::Yes) => {}
        Err(Missing::No(err)) => return Err(err),
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|err| {
            KeyError::Io(format!(
                "cannot create directory {} for the master key file: {err}",
                parent.display()
            ))
        })?;
    }
    // create_new: if another process created the file since we looked, we must not
    // overwrite its key (secrets may already be sealed under it); load that one instead.
    let mut file = match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
            return load(path).map(|key| (key, false));
        }
        Err(err) => {
            return Err(KeyError::Io(format!(
                "cannot create master key file {}: {err}",
                path.display()
            )))
        }
    };
    let key = MasterKey::generate();
    let mut line = Zeroizing::new(key.to_base64());
    line.push('\n');
    if let Err(err) = file
        .write_all(line.as_bytes())
        .and_then(|()| file.sync_all())
    {
        // A half-written file would be rejected as invalid on every later start; removing
        // it lets the next start try again. The write error is the one worth reporting.
        drop(file);
        let _ = fs::remove_file(path);
        return Err(KeyError::Io(format!(
            "cannot write master key file {}: {err}",
            path.display()
        )));
    }
    sync_parent(path);
    Ok((key, true))
}

/// Reads an existing key file only (no creation): [`KeyError::Io`] naming the path if it is
/// missing or unreadable, [`KeyError::Invalid`] naming the path if its contents are bad.
pub fn load(path: &Path) -> Result<MasterKey, KeyError> {
    read_key_file(path).map_err(|err| match err {
        Missing::Yes => KeyError::Io(format!("master key file {} does not exist", path.display())),
        Missing::No(err) => err,
    })
}

/// Whether a failed read was because the file does not exist (which `load_or_create`
/// handles by creating it) or for any other reason.
enum Missing {
    Yes,
    No(KeyError),
}

fn read_key_file(path: &Path) -> Result<MasterKey, Missing> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Err(Missing::Yes),
        Err(err) => {
            return Err(Missing::No(KeyError::Io(format!(
                "cannot read master key file {}: {err}",
                path.display()
            ))))
        }
    };
    check_mode(&file, path).map_err(Missing::No)?;
    // One spare byte of capacity tells "exactly at the cap" from "over the cap" without
    // the buffer ever growing.
    let mut contents = Zeroizing::new(Vec::with_capacity(MAX_KEY_FILE_LEN + 1));
    file.take((MAX_KEY_FILE_LEN + 1) as u64)
        .read_to_end(&mut contents)
        .map_err(|err| {
            Missing::No(KeyError::Io(format!(
                "cannot read master key file {}: {err}",
                path.display()
            )))
        })?;
    let invalid = || {
        Missing::No(KeyError::Invalid(format!(
            "master key file {} does not contain base64 of 32 bytes",
            path.display()
        )))
    };
    if contents.len() > MAX_KEY_FILE_LEN {
        return Err(invalid());
    }
    let text = std::str::from_utf8(&contents).map_err(|_| invalid())?;
    MasterKey::from_base64(text).map_err(|_| invalid())
}

/// Refuses a key file others may read or write; warns about one its group may.
fn check_mode(file: &File, path: &Path) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = file
        .metadata()
        .map_err(|err| {
            KeyError::Io(format!(
                "cannot read master key file {}: {err}",
                path.display()
            ))
        })?
        .permissions()
        .mode()
        & 0o777;
    if mode & 0o007 != 0 {
        return Err(KeyError::Io(format!(
            "master key file {} has mode {mode:04o}, so other users can read or change it; run chmod 600 {}",
            path.display(),
            path.display()
        )));
    }
    if mode & 0o070 != 0 {
        tracing::warn!(
            path = %path.display(),
            mode = format!("{mode:04o}"),
            "the master key file is readable by its group; chmod 600 it unless that group is meant to read it"
        );
    }
    Ok(())
}

/// Makes the new directory entry durable, so a crash right after first start cannot lose
/// the key while secrets sealed under it survive. Best effort: some filesystems refuse to
/// sync directories, and the file itself is already synced.
fn sync_parent(path: &Path) {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(parent) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn missing_file_is_created_with_mode_0600_and_loads_again_with_the_same_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("nested").join("master.key");
        let (key, created) = load_or_create(&path).unwrap();
        assert!(created);
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let contents = fs::read_to_string(&path).unwrap();
        assert_eq!(contents.trim(), key.to_base64());

        let (again, created) = load_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(again.fingerprint(), key.fingerprint());
        assert_eq!(load(&path).unwrap().fingerprint(), key.fingerprint());
        assert_eq!(fs::read_to_string(&path).unwrap(), contents);
    }

    #[test]
    fn existing_key_file_with_whitespace_is_loaded_and_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let key = MasterKey::from_bytes([7; 32]);
        fs::write(&path, format!("\n  {}  \r\n", key.to_base64())).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let (loaded, created) = load_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(loaded.fingerprint(), key.fingerprint());
    }

    #[test]
    fn a_key_file_others_can_read_or_write_is_refused_naming_the_file_and_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        fs::write(&path, MasterKey::generate().to_base64()).unwrap();
        for mode in [0o644, 0o602, 0o604, 0o666] {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
            for err in [
                load(&path).map(|_| ()).unwrap_err(),
                load_or_create(&path).map(|_| ()).unwrap_err(),
            ] {
                let message = err.to_string();
                assert!(message.contains(&path.display().to_string()), "{message}");
                assert!(message.contains(&format!("{mode:04o}")), "{message}");
                assert!(message.contains("chmod 600"), "{message}");
            }
        }
    }

    #[test]
    fn a_group_readable_key_file_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let key = MasterKey::generate();
        fs::write(&path, key.to_base64()).unwrap();
        for mode in [0o640, 0o400, 0o440] {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
            assert_eq!(load(&path).unwrap().fingerprint(), key.fingerprint());
        }
    }

    #[test]
    fn bad_contents_are_rejected_naming_the_path_but_not_the_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let short =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [0x42u8; 31]);
        let bad: [&[u8]; 5] = [
            b"",
            short.as_bytes(),
            b"hunter2-not-a-key",
            &[0xff, 0xfe, 0xfd],
            &[b'A'; MAX_KEY_FILE_LEN + 10],
        ];
        for contents in bad {
            fs::write(&path, contents).unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
            for err in [
                load_or_create(&path).map(|_| ()).unwrap_err(),
                load(&path).map(|_| ()).unwrap_err(),
            ] {
                assert!(matches!(err, KeyError::Invalid(_)), "{err}");
                let message = err.to_string();
                assert!(message.contains(&path.display().to_string()), "{message}");
                if let Ok(text) = std::str::from_utf8(contents) {
                    if !text.is_empty() {
                        assert!(!message.contains(&text[..text.len().min(8)]), "{message}");
                    }
                }
            }
            // A bad file is reported, never replaced by a fresh key.
            assert_eq!(fs::read(&path).unwrap(), contents);
        }
    }

    #[test]
    fn load_of_a_missing_file_is_an_io_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent.key");
        let err = load(&path).unwrap_err();
        assert!(matches!(err, KeyError::Io(_)));
        assert!(err.to_string().contains(&path.display().to_string()));
        assert!(!path.exists());
    }

    #[test]
    fn a_file_created_concurrently_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || load_or_create(&path))
            })
            .collect();
        let on_disk = || load(&path).unwrap().fingerprint().to_owned();
        let mut created = 0;
        for handle in handles {
            // A loser may read the file before the winner has written it; that surfaces as
            // an error, never as a second key.
            if let Ok((key, was_created)) = handle.join().unwrap() {
                assert_eq!(key.fingerprint(), on_disk());
                created += usize::from(was_created);
            }
        }
        assert_eq!(created, 1);
    }
}
