package web

// pageMessages are the messages of the revision, completion and proposal
// pages and of the secretariat's cycle and activity pages, merged into
// messages at start-up.
var pageMessages = map[string]map[string]string{
	"en": {
		"err_no_live_links": "No personal link to this task is live: nothing was revoked.",
		"stopped_title":     "Workflows that should be running and are not", "stopped_body": "Nothing new reaches these until they are started again from what the database holds, with the command shown; votes and reports already stored are kept.", "stopped_subject": "Workflow", "stopped_command": "Command to start it again",
		"run_failed": "failed", "run_terminated": "terminated", "run_timed_out": "timed out", "run_canceled": "cancelled", "run_missing": "missing", "run_completed": "ended early", "run_continued_as_new": "continued",
		"err_date": "Please write a date as YYYY-MM-DD.", "err_date_order": "This date is before the start date.",
		"err_date_past": "This date has already passed.", "err_extend_before": "The new due date must be after the current one.", "err_extend_after_close": "The new due date must not be after the cycle closes.",
		"err_cycle_name": "Use lowercase letters, digits, hyphens and underscores (at most 32).", "err_cycle_exists": "A cycle with this name already exists.",
		"err_cycle_closed": "This cycle is already closed.", "err_not_revisable": "This proposal is not waiting for a revision; nothing was saved.",
		"err_not_in_execution": "This activity is not in execution; nothing was recorded.",
		"revise_title":         "Revise a proposal", "comments": "The committee's comments", "f_outputs": "Expected outputs (one per line)",
		"f_starts": "Start date", "f_ends": "End date", "revise_button": "Send revised proposal",
		"revise_done_title": "Revision received", "revise_done_body": "Thank you. Your revised proposal goes back to the committee.",
		"complete_title": "Activity completed", "f_statement": "Completion statement", "complete_button": "Report completion",
		"complete_done_title": "Completion received", "complete_done_body": "Thank you. The activity's completion was recorded.",
		"propose_title": "Call for proposals", "my_proposals": "Your proposals", "new_proposal": "New proposal",
		"line_of_action": "Line of action", "participants": "Participating countries", "propose_button": "Send proposal",
		"propose_done_body": "Thank you. Your proposal was received and goes to the committee for review; a receipt is on its way by e-mail. Code:",
		"cycle_title":       "Reporting cycle", "downloads": "Report", "actions": "Actions", "f_until": "New due date", "f_reason": "Reason",
		"extend_button": "Extend", "waive_button": "Waive", "close_cycle": "Close the cycle now",
		"ts_open": "open", "ts_overdue": "overdue", "ts_submitted": "submitted", "ts_waived": "waived", "ts_missing": "missing",
		"activity_title": "Activity", "timeline": "Timeline", "votes": "Votes", "member": "Member",
		"open_cycle": "Open a reporting cycle", "f_cycle_name": "Name (e.g. mid-term)", "biennium": "Biennium",
		"open_call": "Open a call for proposals", "call_opened": "Call for proposals opened; invitations are queued for",
	},
	"es": {
		"err_no_live_links": "Ningún enlace personal a esta tarea está vigente: no se revocó nada.",
		"stopped_title":     "Flujos que deberían estar en marcha y no lo están", "stopped_body": "No les llega nada nuevo hasta que se vuelvan a iniciar desde lo que guarda la base de datos, con la orden indicada; los votos e informes ya guardados se conservan.", "stopped_subject": "Flujo", "stopped_command": "Orden para reiniciarlo",
		"run_failed": "falló", "run_terminated": "terminado", "run_timed_out": "agotó su plazo", "run_canceled": "cancelado", "run_missing": "no existe", "run_completed": "terminó antes de tiempo", "run_continued_as_new": "continuado",
		"err_date": "Escriba la fecha como AAAA-MM-DD.", "err_date_order": "Esta fecha es anterior a la de inicio.",
		"err_date_past": "Esta fecha ya pasó.", "err_extend_before": "La nueva fecha límite debe ser posterior a la actual.", "err_extend_after_close": "La nueva fecha límite no puede ser posterior al cierre del ciclo.",
		"err_cycle_name": "Use minúsculas, dígitos, guiones y guiones bajos (32 como máximo).", "err_cycle_exists": "Ya existe un ciclo con este nombre.",
		"err_cycle_closed": "Este ciclo ya está cerrado.", "err_not_revisable": "Esta propuesta no espera una revisión; no se guardó nada.",
		"err_not_in_execution": "Esta actividad no está en ejecución; no se registró nada.",
		"revise_title":         "Revisar una propuesta", "comments": "Comentarios del Comité", "f_outputs": "Productos esperados (uno por línea)",
		"f_starts": "Fecha de inicio", "f_ends": "Fecha de término", "revise_button": "Enviar la propuesta revisada",
		"revise_done_title": "Revisión recibida", "revise_done_body": "Gracias. Su propuesta revisada vuelve al Comité.",
		"complete_title": "Actividad completada", "f_statement": "Declaración de término", "complete_button": "Informar el término",
		"complete_done_title": "Término recibido", "complete_done_body": "Gracias. Quedó registrado el término de la actividad.",
		"propose_title": "Convocatoria de propuestas", "my_proposals": "Sus propuestas", "new_proposal": "Nueva propuesta",
		"line_of_action": "Línea de acción", "participants": "Países participantes", "propose_button": "Enviar propuesta",
		"propose_done_body": "Gracias. Recibimos su propuesta, que pasa a la revisión del Comité; recibirá un acuse por correo. Código:",
		"cycle_title":       "Ciclo de informes", "downloads": "Informe", "actions": "Acciones", "f_until": "Nueva fecha límite", "f_reason": "Motivo",
		"extend_button": "Prorrogar", "waive_button": "Dispensar", "close_cycle": "Cerrar el ciclo ahora",
		"ts_open": "abierta", "ts_overdue": "vencida", "ts_submitted": "enviada", "ts_waived": "dispensada", "ts_missing": "faltante",
		"activity_title": "Actividad", "timeline": "Historial", "votes": "Votos", "member": "Miembro",
		"open_cycle": "Abrir un ciclo de informes", "f_cycle_name": "Nombre (p. ej. mid-term)", "biennium": "Bienio",
		"open_call": "Abrir una convocatoria de propuestas", "call_opened": "Convocatoria abierta; invitaciones en cola para",
	},
	"pt": {
		"err_no_live_links": "Nenhum link pessoal para esta tarefa está ativo: nada foi revogado.",
		"stopped_title":     "Fluxos que deveriam estar em execução e não estão", "stopped_body": "Nada de novo lhes chega até serem reiniciados a partir do que a base de dados guarda, com o comando indicado; os votos e relatórios já guardados são mantidos.", "stopped_subject": "Fluxo", "stopped_command": "Comando para reiniciá-lo",
		"run_failed": "falhou", "run_terminated": "encerrado", "run_timed_out": "esgotou o prazo", "run_canceled": "cancelado", "run_missing": "inexistente", "run_completed": "terminou antes do tempo", "run_continued_as_new": "continuado",
		"err_date": "Escreva a data como AAAA-MM-DD.", "err_date_order": "Esta data é anterior à de início.",
		"err_not_revisable": "Esta proposta não aguarda revisão; nada foi salvo.", "err_not_in_execution": "Esta atividade não está em execução; nada foi registrado.",
		"revise_title": "Revisar uma proposta", "comments": "Comentários do Comitê", "f_outputs": "Produtos esperados (um por linha)",
		"f_starts": "Data de início", "f_ends": "Data de término", "revise_button": "Enviar a proposta revisada", "title": "Título",
		"revise_done_title": "Revisão recebida", "revise_done_body": "Obrigado. Sua proposta revisada volta ao Comitê.",
		"complete_title": "Atividade concluída", "f_statement": "Declaração de conclusão", "complete_button": "Informar a conclusão",
		"complete_done_title": "Conclusão recebida", "complete_done_body": "Obrigado. A conclusão da atividade foi registrada.",
		"propose_title": "Chamada de propostas", "my_proposals": "Suas propostas", "new_proposal": "Nova proposta", "goal": "Objetivo",
		"line_of_action": "Linha de ação", "participants": "Países participantes", "propose_button": "Enviar proposta", "lead": "País líder", "code": "Código", "none": "Nenhuma.",
		"propose_done_body": "Obrigado. Recebemos sua proposta, que segue para a revisão do Comitê; um recibo chegará por e-mail. Código:",
	},
	"fr": {
		"err_no_live_links": "Aucun lien personnel vers cette tâche n'est actif : rien n'a été révoqué.",
		"stopped_title":     "Flux qui devraient être en cours et ne le sont pas", "stopped_body": "Rien de nouveau ne leur parvient tant qu'ils ne sont pas relancés à partir de ce que contient la base de données, avec la commande indiquée ; les votes et rapports déjà enregistrés sont conservés.", "stopped_subject": "Flux", "stopped_command": "Commande pour le relancer",
		"run_failed": "en échec", "run_terminated": "arrêté", "run_timed_out": "délai dépassé", "run_canceled": "annulé", "run_missing": "absent", "run_completed": "terminé trop tôt", "run_continued_as_new": "poursuivi",
		"err_date": "Écrivez la date sous la forme AAAA-MM-JJ.", "err_date_order": "Cette date précède la date de début.",
		"err_not_revisable": "Cette proposition n'attend pas de révision ; rien n'a été enregistré.", "err_not_in_execution": "Cette activité n'est pas en exécution ; rien n'a été enregistré.",
		"revise_title": "Réviser une proposition", "comments": "Commentaires du Comité", "f_outputs": "Produits attendus (un par ligne)",
		"f_starts": "Date de début", "f_ends": "Date de fin", "revise_button": "Envoyer la proposition révisée", "title": "Titre",
		"revise_done_title": "Révision reçue", "revise_done_body": "Merci. Votre proposition révisée retourne au Comité.",
		"complete_title": "Activité terminée", "f_statement": "Déclaration d'achèvement", "complete_button": "Déclarer l'achèvement",
		"complete_done_title": "Achèvement reçu", "complete_done_body": "Merci. L'achèvement de l'activité a été enregistré.",
		"propose_title": "Appel à propositions", "my_proposals": "Vos propositions", "new_proposal": "Nouvelle proposition", "goal": "Objectif",
		"line_of_action": "Axe d'action", "participants": "Pays participants", "propose_button": "Envoyer la proposition", "lead": "Pays chef de file", "code": "Code", "none": "Aucune.",
		"propose_done_body": "Merci. Nous avons reçu votre proposition, qui passe à l'examen du Comité ; un accusé de réception vous sera envoyé par courriel. Code :",
	},
}

func init() {
	for lang, m := range pageMessages {
		for k, v := range m {
			if _, ok := messages[lang][k]; !ok {
				messages[lang][k] = v
			}
		}
	}
}
