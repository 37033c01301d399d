//! MOCs kept under the data directory between runs, so that a restart does not read every
//! catalogue again: `{name}.fits` (the MOC) beside `{name}.key`, which names what it was computed
//! from (each file's path, size and modification time, the index column and the MOC order). A
//! key that differs, or a file that does not read, is a miss: the MOC is computed again.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use moc::deser::fits::{MocIdxType, MocQtyType, MocType, from_fits_ivoa};
use moc::moc::{RangeMOCIntoIterator, RangeMOCIterator};

use super::{MOC_DEPTH, SkyMoc};
use crate::catalog::TableInfo;

pub struct MocCache {
    dir: PathBuf,
}

impl MocCache {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// What the MOC of a table depends on; `None` when a file cannot be looked at.
    pub fn key(table: &TableInfo) -> Option<String> {
        let healpix = table.healpix.as_ref()?;
        let mut key = format!(
            "order {MOC_DEPTH} from {} at {}\n",
            healpix.column, healpix.order
        );
        for file in &table.files {
            let metadata = std::fs::metadata(file).ok()?;
            let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
            key.push_str(&format!(
                "{}\t{}\t{}\n",
                file.display(),
                metadata.len(),
                modified.as_nanos()
            ));
        }
        Some(key)
    }

    fn paths(&self, name: &str) -> (PathBuf, PathBuf) {
        (
            self.dir.join(format!("{name}.fits")),
            self.dir.join(format!("{name}.key")),
        )
    }

    /// The cached MOC of `name` if it was computed from what `key` describes.
    pub fn get(&self, name: &str, key: &str) -> Option<SkyMoc> {
        let (fits, key_path) = self.paths(name);
        if std::fs::read_to_string(key_path).ok()? != key {
            return None;
        }
        let reader = BufReader::new(File::open(fits).ok()?);
        match from_fits_ivoa(reader).ok()? {
            MocIdxType::U64(MocQtyType::Hpx(MocType::Ranges(moc))) => Some(moc.into_range_moc()),
            _ => None,
        }
    }

    /// Stores a MOC; the key is written last, so that a crash leaves at worst a miss.
    pub fn put(&self, name: &str, key: &str, moc: &SkyMoc) -> Result<(), String> {
        let (fits, key_path) = self.paths(name);
        std::fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let _ = std::fs::remove_file(&key_path);
        write_fits(&fits, moc).map_err(|e| format!("{}: {e}", fits.display()))?;
        std::fs::write(&key_path, key).map_err(|e| format!("{}: {e}", key_path.display()))
    }
}

fn write_fits(path: &Path, moc: &SkyMoc) -> Result<(), String> {
    let mut out = BufWriter::new(File::create(path).map_err(|e| e.to_string())?);
    moc.into_range_moc_iter()
        .to_fits_ivoa(None, None, &mut out)
        .map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())
}
