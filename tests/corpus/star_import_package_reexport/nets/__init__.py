from .classifier import *  # noqa: F403
from .utils import *  # noqa: F403
