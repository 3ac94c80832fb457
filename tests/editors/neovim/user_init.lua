-- A user's init.lua: the plugin on the runtimepath, set up with its defaults.
vim.opt.runtimepath:prepend(vim.env.ACCORD_NVIM_PLUGIN)
require("accord").setup({})
-- A plugin newer than its server: the test raises the plugin's minimum above the server's version.
if vim.env.ACCORD_MINIMUM_SERVER ~= nil then
  require("accord.version").minimum_server = vim.env.ACCORD_MINIMUM_SERVER
end
