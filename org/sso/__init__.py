"""Single sign-on with OpenID Connect: an organisation's identity provider vouches for its users.

:mod:`.settings` (what an org configures), :mod:`.provider` (discovery, token requests and ID
token validation at the provider), :mod:`.members` (the verified claims turned into a member and
roles), :mod:`.handlers` (the ``sso.*`` methods of the org server), :mod:`.login` (``accord login
--sso``) and :mod:`.web` (the console's login routes).
"""
