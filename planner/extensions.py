"""Extensions are created here and bound to the app in create_app (avoids import cycles)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so Alembic can drop and alter them on every backend (SQLite batch mode too).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
if TYPE_CHECKING:
    # what a type checker sees of the models' base class: db.Model is made at run time (from
    # Base, with Flask-SQLAlchemy's table naming and binds), so it cannot be a static type
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
login_manager = LoginManager()
# in-memory by default; a team deployment points RATELIMIT_STORAGE_URI at Redis
limiter = Limiter(key_func=get_remote_address, default_limits=[])
