"""The portal's own date formats (FORMAT_MODULE_PATH): one module per language that needs different ones
from Django's; anything a module leaves out comes from Django's locale."""
