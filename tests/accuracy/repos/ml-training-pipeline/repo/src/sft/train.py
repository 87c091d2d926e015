"""LoRA fine-tuning with TRL, logged to Weights & Biases."""

import wandb
from peft import LoraConfig
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import SFTConfig, SFTTrainer

from sft.config import RUN
from sft.data import training_set

BASE_MODEL = "Qwen/Qwen2.5-0.5B-Instruct"


def main() -> None:
    wandb.init(project="support-sft", config=RUN)
    tokenizer = AutoTokenizer.from_pretrained(BASE_MODEL)
    model = AutoModelForCausalLM.from_pretrained(BASE_MODEL, torch_dtype="auto")
    trainer = SFTTrainer(
        model=model,
        tokenizer=tokenizer,
        train_dataset=training_set(),
        peft_config=LoraConfig(r=16, lora_alpha=32, task_type="CAUSAL_LM"),
        args=SFTConfig(output_dir="out/qwen-support-lora", num_train_epochs=2),
    )
    trainer.train()
    trainer.push_to_hub("acme-ai/qwen2.5-0.5b-support-lora", private=True)


if __name__ == "__main__":
    main()
