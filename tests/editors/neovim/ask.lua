-- Ask an agent: the code action (the instruction from vim.ui.input), then :Accord ask with the
-- instruction on the command line; each proposal approved through vim.ui.select ("Apply").
local report = dofile(vim.env.ACCORD_TESTS .. "/report.lua")
local data = report.data
report.capture_notes()
data.inputs, data.prompts = {}, {}

vim.ui.input = function(opts, on_confirm)
  table.insert(data.inputs, opts.prompt)
  on_confirm("add missing docstrings")
end

vim.ui.select = function(items, opts, on_choice)
  table.insert(data.prompts, opts.prompt)
  for _, item in ipairs(items) do
    if item.title == "Apply" then
      return on_choice(item)
    end
  end
  on_choice(nil)
end

local function lines(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

report.run(function()
  local buf = vim.api.nvim_get_current_buf()
  report.wait("the client", function() return #vim.lsp.get_clients({ name = "accord" }) > 0 end)
  report.wait("the server's initialization", function()
    return vim.lsp.get_clients({ name = "accord" })[1].initialized
  end)
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action) return action.title == "Accord: Ask an agent..." end,
  })
  report.wait("the docstrings", report.noted("Accord: Ask: add missing docstrings — applied"))
  data.documented = lines(buf)
  vim.cmd("Accord ask add type hints")
  report.wait("the type hints", report.noted("Accord: Ask: add type hints — applied"))
  data.hinted = lines(buf)
end)
