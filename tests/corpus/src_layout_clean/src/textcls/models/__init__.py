from .fasttext import FastText


def build_model(vocab_size, num_classes):
    return FastText(vocab_size, 100, num_classes)
