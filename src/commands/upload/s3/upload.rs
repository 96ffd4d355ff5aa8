//! Writing the archive: the previous object kept as `KEY.previous`, one `PUT` or a multipart
//! upload with a checksum on every part, then the stored object's size and S3's checksum
//! compared with the archive.

use std::io::Read;
use std::path::Path;

use sha2::{Digest as _, Sha256};

use super::xml::{self, Part};
use super::{S3Client, S3Error, b64, sign};
use crate::commands::Error;

/// S3's limit on the number of parts of one upload.
const MAX_PARTS: u64 = 10_000;

impl S3Client {
    /// Uploads `archive` to `bucket/key`, keeping the previous object as `key.previous`; returns
    /// whether there was one.
    pub fn upload(
        &self,
        archive: &Path,
        bucket: &str,
        key: &str,
        sha256: &str,
    ) -> Result<bool, Error> {
        let io = |source| S3Error::Io {
            path: archive.to_path_buf(),
            source,
        };
        let size = std::fs::metadata(archive).map_err(io)?.len();
        // Larger parts when the archive would need more than S3's 10,000.
        let part_size = self.part_size.max(size.div_ceil(MAX_PARTS));
        if self.dry_run {
            self.plan(bucket, key, size, part_size);
            return Ok(false);
        }
        let kept = if self.head(bucket, key)?.is_some() {
            self.copy(bucket, key, &format!("{key}.previous"))?;
            true
        } else {
            false
        };
        let meta = vec![
            ("x-amz-meta-nbwheel-sha256", sha256.to_string()),
            ("content-type", "application/gzip".to_string()),
        ];
        let mut file = std::fs::File::open(archive).map_err(io)?;
        let expected = if size <= part_size {
            let mut body = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            file.read_to_end(&mut body).map_err(io)?;
            let digest = b64(&Sha256::digest(&body));
            let mut headers = meta;
            headers.push(("x-amz-checksum-sha256", digest.clone()));
            headers.push(("x-amz-sdk-checksum-algorithm", "SHA256".into()));
            let b = self.bucket(bucket)?;
            let req = sign(b.put_object(self.creds.as_ref(), key), headers);
            self.send(&req, body)?;
            digest
        } else {
            self.multipart(&mut file, archive, bucket, key, meta, part_size)?
        };
        self.check(bucket, key, size, sha256, &expected)?;
        Ok(kept)
    }

    /// The `--dry-run` steps of an upload.
    fn plan(&self, bucket: &str, key: &str, size: u64, part_size: u64) {
        let object = self.shown(bucket, key);
        self.record(format!("HEAD {object}"));
        self.record(format!(
            "PUT {} (copy to keep the previous archive, when there is one)",
            self.shown(bucket, &format!("{key}.previous"))
        ));
        let how = if size > part_size {
            format!("multipart, {} parts", size.div_ceil(part_size))
        } else {
            "one request".into()
        };
        self.record(format!("PUT {object} ({size} bytes, {how})"));
        self.record(format!("HEAD {object}"));
    }

    /// Compares the stored object's size and S3's sha256 checksum with the archive's.
    fn check(
        &self,
        bucket: &str,
        key: &str,
        size: u64,
        sha256: &str,
        expected: &str,
    ) -> Result<(), S3Error> {
        // A composite checksum ends in `-N` (the part count); some servers leave it out.
        let base = |c: &str| {
            c.split_once('-')
                .map_or(c, |(digest, _)| digest)
                .to_string()
        };
        match self.head(bucket, key)? {
            Some((s, Some(h))) if s == size && base(&h) == base(expected) => Ok(()),
            found => Err(S3Error::Mismatch {
                bucket: bucket.into(),
                key: key.into(),
                expected: format!(
                    "{size} bytes, sha256 checksum {expected} (archive sha256:{sha256})"
                ),
                actual: found.map_or_else(
                    || "no object".into(),
                    |(s, h)| {
                        format!(
                            "{s} bytes, sha256 checksum {}",
                            h.unwrap_or_else(|| "(none: S3 computed no checksum)".into())
                        )
                    },
                ),
            }),
        }
    }

    /// A multipart upload; returns the composite checksum S3 will report. A failed part or
    /// completion aborts the upload (S3 would otherwise keep, and bill, the parts).
    fn multipart(
        &self,
        file: &mut std::fs::File,
        archive: &Path,
        bucket: &str,
        key: &str,
        meta: Vec<(&'static str, String)>,
        part_size: u64,
    ) -> Result<String, S3Error> {
        let b = self.bucket(bucket)?;
        let mut create = meta;
        create.push(("x-amz-checksum-algorithm", "SHA256".into()));
        let req = sign(b.create_multipart_upload(self.creds.as_ref(), key), create);
        let r = self.send(&req, Vec::new())?;
        let upload_id = rusty_s3::actions::CreateMultipartUpload::parse_response(&r.body)
            .map(|a| a.upload_id().to_string())
            .map_err(|e| S3Error::Status {
                method: "POST".into(),
                url: super::Redacted::new(&req.url),
                status: r.status,
                code: None,
                message: Some(format!("no UploadId in the answer ({e})")),
            })?;
        let done = self
            .parts(file, archive, bucket, key, &upload_id, part_size)
            .and_then(|parts| self.complete(bucket, key, &upload_id, &parts));
        if done.is_err() {
            let abort = sign(
                b.abort_multipart_upload(self.creds.as_ref(), key, &upload_id),
                Vec::new(),
            );
            if let Err(e) = self.send(&abort, Vec::new()) {
                tracing::warn!("could not abort the multipart upload: {e}");
            }
        }
        done
    }

    /// Uploads the parts, each with its checksum, in order.
    fn parts(
        &self,
        file: &mut std::fs::File,
        archive: &Path,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_size: u64,
    ) -> Result<Vec<Part>, S3Error> {
        let b = self.bucket(bucket)?;
        let mut parts = Vec::new();
        for number in 1..=u16::MAX {
            let mut buf = Vec::with_capacity(usize::try_from(part_size).unwrap_or(0));
            file.by_ref()
                .take(part_size)
                .read_to_end(&mut buf)
                .map_err(|source| S3Error::Io {
                    path: archive.to_path_buf(),
                    source,
                })?;
            if buf.is_empty() {
                break;
            }
            let checksum = b64(&Sha256::digest(&buf));
            let req = sign(
                b.upload_part(self.creds.as_ref(), key, number, upload_id),
                vec![
                    ("x-amz-checksum-sha256", checksum.clone()),
                    ("x-amz-sdk-checksum-algorithm", "SHA256".into()),
                ],
            );
            let r = self.send(&req, buf)?;
            let etag = r
                .headers
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            parts.push(Part {
                number,
                etag,
                checksum,
            });
        }
        Ok(parts)
    }

    /// `CompleteMultipartUpload` with every part's checksum; returns S3's composite checksum
    /// (base64 of the sha256 of the parts' digests, `-N`).
    fn complete(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: &[Part],
    ) -> Result<String, S3Error> {
        let b = self.bucket(bucket)?;
        let mut composite = Sha256::new();
        for p in parts {
            let digest =
                base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &p.checksum)
                    .unwrap_or_default();
            composite.update(digest);
        }
        let expected = format!("{}-{}", b64(&composite.finalize()), parts.len());
        let req = sign(
            b.complete_multipart_upload(
                self.creds.as_ref(),
                key,
                upload_id,
                std::iter::empty::<&str>(),
            ),
            Vec::new(),
        );
        let r = self.send(&req, xml::complete_body(parts).into_bytes())?;
        super::check_body(&req, &r)?;
        Ok(expected)
    }
}
