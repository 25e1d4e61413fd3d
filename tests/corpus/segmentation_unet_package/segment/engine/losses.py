def dice_loss(probs, target, smooth=1.0):
    probs = probs.flatten(1)
    target = target.flatten(1)
    inter = (probs * target).sum(1)
    return 1 - ((2 * inter + smooth) / (probs.sum(1) + target.sum(1) + smooth)).mean()
