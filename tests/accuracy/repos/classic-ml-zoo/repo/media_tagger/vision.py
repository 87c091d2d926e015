"""Image labels: an ImageNet classifier, a ViT backbone, and an object detector."""

import timm
import torch
from PIL import Image
from ultralytics import YOLO

classifier = torch.hub.load("pytorch/vision", "resnet50", weights="IMAGENET1K_V2")
backbone = timm.create_model("vit_base_patch16_224", pretrained=True, num_classes=0)
detector = YOLO("yolov8n.pt")


def objects(path: str) -> list[str]:
    result = detector(Image.open(path))[0]
    return [result.names[int(c)] for c in result.boxes.cls]
