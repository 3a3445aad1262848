"""Domain errors and the exact Canvas bodies they render to (canvas-facts section 2).

The store raises these; it knows nothing of HTTP. ``app.canvas_middleware`` is the one place that
turns them into responses. Every message string Canvas sends lives in this module.
"""

from __future__ import annotations

from typing import Any

MSG_NOT_FOUND = "The specified resource does not exist."
MSG_UNAUTHENTICATED = "user authorization required"
MSG_UNAUTHORIZED = "user not authorized to perform that action"
MSG_INVALID_TOKEN = "Invalid access token."
MSG_EXPIRED_TOKEN = "Expired access token."
MSG_REVOKED_TOKEN = "Revoked access token."
MSG_SEARCH_TERM = "{} or more characters is required"  # the minimum length
MSG_GROUP_FULL = "The group is full."
MSG_NAME_REQUIRED = "Name is required"
MSG_GROUP_NAME_TOO_LONG = "Enter a shorter group name"
MSG_GREATER_THAN_ONE = "Must be greater than 1"
MSG_IS_PUBLIC_TRANSITION = "cannot be changed to that value"  # lib/custom_validations.rb
MSG_SIS_CREATE = "You must have manage_sis permission to set sis attributes"
MSG_SIS_UPDATE = "You must have manage_sis permission to update sis attributes"
MSG_INVALID_AS_USER = "Invalid as_user_id"
WWW_AUTHENTICATE = 'Bearer realm="canvas-lms"'


class CanvasError(Exception):
    """Base: a status and a JSON body; ``www_authenticate`` adds the header."""

    status = 400
    www_authenticate = False

    def body(self) -> Any:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def __str__(self) -> str:
        return f"{type(self).__name__}: {self.body()!r}"


class NotFound(CanvasError):
    status = 404

    def body(self) -> Any:
        return {"errors": [{"message": MSG_NOT_FOUND}]}


class NotFoundMessage(NotFound):
    """A 404 a controller renders itself as ``{"message": ...}``: the upload preflight's
    ``parent_folder_id`` that is not one of the context's folders (api_attachment_preflight)."""

    def body(self) -> Any:
        return {"message": MSG_NOT_FOUND}


class CategoryNotFound(NotFound):
    """GroupCategoriesController#get_category_context renders its own 404 body."""

    def body(self) -> Any:
        return {"status": "not found"}


class InvalidPage(CanvasError):
    """Folio::InvalidPage for page=0, page=-1, page=abc: Canvas's generic API error, 404."""

    status = 404

    def body(self) -> Any:
        return {"errors": [{"message": "An error occurred.", "error_code": "not_found"}]}


class Unauthenticated(CanvasError):
    """No token and no session on an endpoint that needs a user."""

    status = 401
    www_authenticate = True

    def body(self) -> Any:
        return {"status": "unauthenticated", "errors": [{"message": MSG_UNAUTHENTICATED}]}


class InvalidAsUser(CanvasError):
    """``as_user_id`` naming nobody, or someone the caller may not become (load_user in
    lib/authentication_methods.rb: ``render json: {errors: "Invalid as_user_id"}, status: 401``)."""

    status = 401

    def body(self) -> Any:
        return {"errors": MSG_INVALID_AS_USER}


class InvalidToken(CanvasError):
    status = 401
    www_authenticate = True

    def __init__(self, message: str = MSG_INVALID_TOKEN, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def body(self) -> Any:
        return {"errors": [{"message": self.message, **self.extra}]}


class Unauthorized(CanvasError):
    """A user who may not do this. 401 by default; settings.auth_error_status=403 switches it."""

    status = 401

    def body(self) -> Any:
        return {"status": "unauthorized", "errors": [{"message": MSG_UNAUTHORIZED}]}


class ProtectedCategory(Unauthorized):
    """Deleting or importing into a protected category: the short body of group_categories_controller."""

    def body(self) -> Any:
        return {"status": "unauthorized"}


class SisPermission(CanvasError):
    status = 401

    def __init__(self, update: bool = False) -> None:
        super().__init__()
        self.update = update

    def body(self) -> Any:
        return {"message": MSG_SIS_UPDATE if self.update else MSG_SIS_CREATE}


class Invalid(CanvasError):
    """A record that fails validation: 400 with the keyed error hash of InstructureHashReporter."""

    status = 400

    def __init__(self, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__()
        self.errors: dict[str, list[Any]] = errors or {}

    @classmethod
    def one(cls, attribute: str, message: str) -> Invalid:
        return cls({attribute: [message]})

    def add(self, attribute: str, message: str | tuple[str, str]) -> None:
        self.errors.setdefault(attribute, []).append(message)

    def body(self) -> Any:
        # a message is a string (a plain message: its own type) or a (type, message) pair (a symbol
        # validation such as ``too_long``)
        return {
            "errors": {
                attr: [{"attribute": attr, "type": msg[0], "message": msg[1]} if isinstance(msg, tuple)
                       else {"attribute": attr, "type": msg, "message": msg} for msg in msgs]
                for attr, msgs in self.errors.items()
            }
        }


class BadRequest(CanvasError):
    """A 400 with a body given as is (``{}`` for a leader who is no member, upload preflight errors)."""

    status = 400

    def __init__(self, body: Any) -> None:
        super().__init__()
        self._body = body

    def body(self) -> Any:
        return self._body


class SearchTermTooShort(CanvasError):
    status = 400

    def __init__(self, minimum: int = 2) -> None:
        super().__init__(minimum)
        self.minimum = minimum

    def body(self) -> Any:
        return {"errors": [{"field": "search_term", "code": "invalid",
                            "message": MSG_SEARCH_TERM.format(self.minimum)}]}


class ParameterMissing(CanvasError):
    status = 400

    def __init__(self, param: str) -> None:
        super().__init__(param)
        self.param = param

    def body(self) -> Any:
        return {"errors": [{"message": f"{self.param} is missing"}]}


class Forbidden(CanvasError):
    """403 with an empty object: UsersController#require_self_registration refusing
    ``POST /accounts/:id/users`` to a caller without manage_user_logins when self-registration is off."""

    status = 403

    def body(self) -> Any:
        return {}
