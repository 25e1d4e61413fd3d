from .trainer import DistillationTrainer

__all__ = ["DistillationTrainer"]
