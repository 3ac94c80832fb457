--- Approval prompts: the server's window/showMessageRequest (Apply / Reject / Show diff,
--- Continue / Stop in control mode) answered through vim.ui.select, so any picker
--- (the built-in list, telescope, fzf-lua, dressing, ...) shows it.
local M = {}

local function select_opts(params)
  return {
    prompt = params.message,
    kind = "accord.approval",
    format_item = function(action)
      return action.title
    end,
  }
end

--- Neovim 0.11 runs server requests in a coroutine: any vim.ui.select may answer later.
local function ask_async(co, actions, params)
  vim.ui.select(actions, select_opts(params), function(choice)
    -- resumed on the next tick: a synchronous picker answers before the yield below
    vim.schedule(function()
      coroutine.resume(co, choice)
    end)
  end)
  return coroutine.yield()
end

--- Neovim 0.10 answers at once: the picker must call back before returning (the default does).
local function ask_now(actions, params)
  local picked
  vim.ui.select(actions, select_opts(params), function(choice)
    picked = choice
  end)
  return picked
end

--- The window/showMessageRequest handler for the Accord client.
function M.handler(_, params)
  local actions = params.actions or {}
  local co, is_main = coroutine.running()
  local picked
  if co ~= nil and not is_main then
    picked = ask_async(co, actions, params)
  else
    picked = ask_now(actions, params)
  end
  return picked or vim.NIL
end

--- The workspace/executeCommand handler: says why an agent action applied nothing
--- (rejected, waiting for approval, stale), which Neovim's default handler keeps quiet.
function M.on_result(err, result)
  if err ~= nil then
    vim.notify(err.message, vim.log.levels.ERROR, { title = "Accord" })
  elseif type(result) == "table" and result.applied == false and result.state ~= nil then
    local msg = ("Accord: %s — not applied (%s)"):format(result.title or "action", result.state)
    vim.notify(msg, vim.log.levels.WARN, { title = "Accord" })
  end
end

return M
