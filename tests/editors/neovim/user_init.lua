-- A user's init.lua: the plugin on the runtimepath, set up with its defaults.
vim.opt.runtimepath:prepend(vim.env.ACCORD_NVIM_PLUGIN)
require("accord").setup({})
